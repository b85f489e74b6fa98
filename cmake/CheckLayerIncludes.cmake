# SPDX-License-Identifier: GPL-3.0-or-later
# cmake -DLAYER=<name> -DALLOWED=<folder,folder,...> -DFILE_LIST=<file> [-DSTAMP=<file>] [-DROOT=<dir>] -P this
#
# Fails, listing each offending line as "file:line: ...", when a file named in FILE_LIST includes a project header
# ("core/...", "ui/...", "app/...") from a folder outside ALLOWED: the layer's own folder and those of the layers it
# uses (cmake/Layers.cmake). On success it touches STAMP, so the build runs it again only when a file changes.
cmake_minimum_required(VERSION 3.25)
file(READ ${FILE_LIST} files)
string(REPLACE "," ";" allowed "${ALLOWED}")
set(problems "")
foreach(file IN LISTS files)
    file(READ ${file} content)
    # Keep each line whole through list splitting: semicolons are C++, newlines are the separators.
    string(REPLACE ";" "<semicolon>" content "${content}")
    string(REPLACE "\n" ";" lines "${content}")
    set(number 0)
    set(shown ${file})
    if(ROOT)
        file(RELATIVE_PATH shown ${ROOT} ${file})
    endif()
    foreach(line IN LISTS lines)
        math(EXPR number "${number} + 1")
        if(line MATCHES "^[ \t]*#[ \t]*include[ \t]*\"((core|ui|app)/[^\"]*)/[^/\"]+\"")
            set(folder ${CMAKE_MATCH_1})
            string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*\"([^\"]+)\".*" "\\1" header "${line}")
            if(NOT folder IN_LIST allowed)
                string(APPEND problems "${shown}:${number}: includes ${header}, but layer ${LAYER} may only "
                                       "include from ${ALLOWED} (the layer order of docs/architecture.md)\n")
            endif()
        endif()
    endforeach()
endforeach()
if(problems)
    # NOTICE prints the lines as they are (errors are re-wrapped), so "file:line:" stays at the start of each.
    message(NOTICE "${problems}")
    message(FATAL_ERROR "layer ${LAYER} includes from layers it does not use")
endif()
if(STAMP)
    file(TOUCH ${STAMP})
endif()
