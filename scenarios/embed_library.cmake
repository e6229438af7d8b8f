# Turns the scenario library (every YAML file given) into one C++ source
# holding each file's name and text, at build time:
#   cmake -DOUT=library.cpp "-DFILES=a.yaml|b.yaml" -P embed_library.cmake
string(REPLACE "|" ";" FILES "${FILES}")
set(body "")
foreach(path IN LISTS FILES)
  file(READ "${path}" text)
  string(FIND "${text}" ")calldrill_yaml\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${path} contains the raw-string delimiter")
  endif()
  get_filename_component(name "${path}" NAME_WE)
  string(APPEND body "  {\"${name}\", R\"calldrill_yaml(${text})calldrill_yaml\"},\n")
endforeach()
file(WRITE "${OUT}.tmp"
  "// Generated at build time from scenarios/*.yaml: do not edit.\n"
  "#include \"scenarios/library.hpp\"\n\nnamespace calldrill {\n\n"
  "const std::vector<library_file>& library_files() {\n"
  "  static const std::vector<library_file> files{\n${body}  };\n"
  "  return files;\n}\n\n} // namespace calldrill\n")
file(RENAME "${OUT}.tmp" "${OUT}")
