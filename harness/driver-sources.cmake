# SPDX-License-Identifier: GPL-2.0-only
# The driver's sources, as Kbuild lists them (nicvf-y, every object for its
# .c file), for the projects that build them: NICVF_SOURCES, full paths.
# Needs NICVF_ROOT, the repository.
file(STRINGS "${NICVF_ROOT}/Kbuild" nicvf_objs_line REGEX "^nicvf-y[ \t]*:=")
if(NOT nicvf_objs_line)
  message(FATAL_ERROR "no 'nicvf-y :=' line in ${NICVF_ROOT}/Kbuild")
endif()
string(REGEX REPLACE "^nicvf-y[ \t]*:=[ \t]*" "" nicvf_objs "${nicvf_objs_line}")
separate_arguments(nicvf_objs)
set(NICVF_SOURCES)
foreach(obj IN LISTS nicvf_objs)
  string(REGEX REPLACE "\\.o$" ".c" src "${obj}")
  list(APPEND NICVF_SOURCES "${NICVF_ROOT}/${src}")
endforeach()
# A file added to or taken from the list reconfigures the build
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${NICVF_ROOT}/Kbuild")
