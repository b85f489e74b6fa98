# SPDX-License-Identifier: GPL-3.0-or-later
# The layers of the code (docs/architecture.md): each folder of core/, ui/ and app/ is a static library that links
# only the layers below it, and includes carry their folder from the project root ("core/records/FrameLog.h").
#
# wsi_add_layer(<name> FOLDER <folder> [USES <layer>...] SOURCES <file>...)
#   makes wsi_<name> (alias wsi::<name>) from SOURCES, linking the layers in USES publicly. Before it compiles, a
#   check (cmake/CheckLayerIncludes.cmake) reads every one of its files and fails the build, naming the file, the
#   line and the rule, when one includes a project header from a folder that is neither its own nor one of the
#   layers it uses, directly or through them. So an upward include, or one into a layer it does not link, never
#   builds, even in a header no source of the layer includes yet.

# The folders a layer may include from when it uses `layers`: theirs and those of every layer they use.
function(wsi_folders_of_layers out)
    set(folders "")
    foreach(used IN LISTS ARGN)
        if(NOT TARGET wsi_${used})
            message(FATAL_ERROR "layer ${used} is used before it is defined: layers are defined bottom up")
        endif()
        get_property(used_folders GLOBAL PROPERTY WSI_LAYER_FOLDERS_${used})
        list(APPEND folders ${used_folders})
    endforeach()
    list(REMOVE_DUPLICATES folders)
    set(${out} ${folders} PARENT_SCOPE)
endfunction()

# wsi_add_layer(): see the top of this file.
function(wsi_add_layer name)
    cmake_parse_arguments(PARSE_ARGV 1 arg "" "FOLDER" "USES;SOURCES")
    add_library(wsi_${name} STATIC ${arg_SOURCES})
    add_library(wsi::${name} ALIAS wsi_${name})
    target_include_directories(wsi_${name} PUBLIC ${PROJECT_SOURCE_DIR})
    target_link_libraries(wsi_${name} PUBLIC wsi::compile_settings)

    wsi_folders_of_layers(folders ${arg_USES})
    list(PREPEND folders ${arg_FOLDER})
    list(TRANSFORM arg_USES PREPEND wsi:: OUTPUT_VARIABLE used_targets)
    target_link_libraries(wsi_${name} PUBLIC ${used_targets})
    set_property(GLOBAL PROPERTY WSI_LAYER_FOLDERS_${name} ${folders})

    set(files "")
    foreach(source IN LISTS arg_SOURCES)
        cmake_path(ABSOLUTE_PATH source BASE_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR} OUTPUT_VARIABLE file)
        list(APPEND files ${file})
    endforeach()
    set(file_list ${CMAKE_CURRENT_BINARY_DIR}/wsi_${name}.layer-files)
    file(GENERATE OUTPUT ${file_list} CONTENT "${files}")
    string(REPLACE ";" "," allowed "${folders}")
    set(stamp ${CMAKE_CURRENT_BINARY_DIR}/wsi_${name}.layer-checked)
    add_custom_command(OUTPUT ${stamp}
        COMMAND ${CMAKE_COMMAND} -DLAYER=${name} -DALLOWED=${allowed} -DFILE_LIST=${file_list} -DSTAMP=${stamp}
                -DROOT=${PROJECT_SOURCE_DIR} -P ${PROJECT_SOURCE_DIR}/cmake/CheckLayerIncludes.cmake
        DEPENDS ${files} ${file_list} ${PROJECT_SOURCE_DIR}/cmake/CheckLayerIncludes.cmake
        COMMENT "Checking the includes of layer ${name}"
        VERBATIM)
    add_custom_target(wsi_${name}_includes DEPENDS ${stamp})
    add_dependencies(wsi_${name} wsi_${name}_includes)
endfunction()

# wsi_add_layer_group(<name> USES <layer>...): wsi::<name>, an interface library that is all of those layers (and
# what they use); a layer may use a group as it would use its layers.
function(wsi_add_layer_group name)
    cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "USES")
    add_library(wsi_${name} INTERFACE)
    add_library(wsi::${name} ALIAS wsi_${name})
    wsi_folders_of_layers(folders ${arg_USES})
    list(TRANSFORM arg_USES PREPEND wsi:: OUTPUT_VARIABLE used_targets)
    target_link_libraries(wsi_${name} INTERFACE ${used_targets})
    set_property(GLOBAL PROPERTY WSI_LAYER_FOLDERS_${name} ${folders})
endfunction()
