# Installation layout and the Debian package (`./dev package`): the binary
# in bin/, the scenario library, Grafana dashboards and provisioning and the
# Prometheus example under share/calldrill/, the man page, bash completion
# and the licence. Dependencies of the .deb come from dpkg-shlibdeps.
include(GNUInstallDirs)

install(TARGETS calldrill RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
file(GLOB calldrill_library_yaml ${PROJECT_SOURCE_DIR}/scenarios/*.yaml)
install(FILES ${calldrill_library_yaml}
  DESTINATION ${CMAKE_INSTALL_DATADIR}/calldrill/scenarios)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/grafana/
  DESTINATION ${CMAKE_INSTALL_DATADIR}/calldrill/grafana)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/calldrill.1
  DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/calldrill.bash-completion
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
  RENAME calldrill)
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE
  DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME copyright)
install(FILES ${PROJECT_SOURCE_DIR}/README.md
  DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME calldrill)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "calldrill developers <calldrill@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "load and chaos tester for telephony pool disaster recovery")
set(CPACK_PACKAGE_DESCRIPTION
  "calldrill simulates Front End pools, users and calls as actors, fails a
pool mid-traffic, plays the operator runbook (failover, Group Call Pickup
range redirection, failback) and checks what the documentation promises:
established calls stay connected, queued pickups fail, pickup returns only
once users leave resiliency mode and ranges point at the serving pool.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "prometheus, prometheus-pushgateway")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
include(CPack)
