# Turns a YAML file into a C++ source holding its text, at build time:
#   cmake -DIN=file.yaml -DOUT=file.cpp -DSYMBOL=name -P embed.cmake
file(READ "${IN}" text)
string(FIND "${text}" ")calldrill_yaml\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${IN} contains the raw-string delimiter")
endif()
get_filename_component(name "${IN}" NAME)
file(WRITE "${OUT}.tmp"
  "// Generated at build time from scenarios/${name}: do not edit.\n"
  "#include <string_view>\n\nnamespace calldrill {\n\n"
  "extern const std::string_view ${SYMBOL};\n"
  "const std::string_view ${SYMBOL} = R\"calldrill_yaml(${text})calldrill_yaml\";\n"
  "\n} // namespace calldrill\n")
file(RENAME "${OUT}.tmp" "${OUT}")
