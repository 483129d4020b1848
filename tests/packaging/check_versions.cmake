# SPDX-License-Identifier: MIT
# cmake -DVERSION=x.y.z -DMETAINFO=file -DMANPAGES="a.1;b.1" -DCHANGELOG=file -P
# check_versions.cmake: the newest AppStream <release>, every man page's footer and the newest
# Debian changelog entry carry project(VERSION), so a
# version bump cannot leave them behind.
file(READ ${METAINFO} metainfo)
# Releases are listed newest first; the first one is what software centres show.
string(REGEX MATCH "<release[^>]* version=\"([^\"]+)\"" found "${metainfo}")
if(NOT found)
    message(FATAL_ERROR "FAIL: ${METAINFO} has no <release version=...>")
endif()
if(NOT CMAKE_MATCH_1 STREQUAL VERSION)
    message(FATAL_ERROR "FAIL: the newest <release> in ${METAINFO} is ${CMAKE_MATCH_1}, "
                        "CMakeLists.txt says ${VERSION}: add a <release> for ${VERSION}")
endif()
foreach(page IN LISTS MANPAGES)
    file(STRINGS ${page} th REGEX "^\\.TH ")
    if(NOT th MATCHES "\"WeatherDash ([^\"]+)\"")
        message(FATAL_ERROR "FAIL: ${page} has no \"WeatherDash <version>\" in its .TH line")
    endif()
    if(NOT CMAKE_MATCH_1 STREQUAL VERSION)
        message(FATAL_ERROR "FAIL: ${page} says WeatherDash ${CMAKE_MATCH_1} in its .TH line, "
                            "CMakeLists.txt says ${VERSION}")
    endif()
endforeach()
if(DEFINED CHANGELOG)
    file(STRINGS ${CHANGELOG} top LIMIT_COUNT 1)
    if(NOT top MATCHES "^weatherdash \\(([^)]+)\\) " OR NOT CMAKE_MATCH_1 STREQUAL VERSION)
        message(FATAL_ERROR "FAIL: the newest entry of ${CHANGELOG} is not for ${VERSION}: ${top}")
    endif()
endif()
message(STATUS "metainfo, man pages and changelog say ${VERSION}, as CMakeLists.txt does")
