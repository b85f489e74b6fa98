# SPDX-License-Identifier: GPL-3.0-or-later
# One INTERFACE target carries every compile setting, so no target and no directory sets its own flags.

add_library(wsi_compile_settings INTERFACE)
add_library(wsi::compile_settings ALIAS wsi_compile_settings)

target_compile_features(wsi_compile_settings INTERFACE cxx_std_20)
set(CMAKE_CXX_EXTENSIONS OFF)

# Qt strictness: no implicit conversions from char* to QString, no connects without a context object, no
# narrowing conversions in connects, QStringBuilder for '+' on strings.
target_compile_definitions(wsi_compile_settings INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_CONTEXTLESS_CONNECT
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_FOREACH
    QT_USE_QSTRINGBUILDER
    QT_DISABLE_DEPRECATED_UP_TO=0x060400)

if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(wsi_compile_settings INTERFACE
        -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
        -Woverloaded-virtual -Wimplicit-fallthrough -Wformat=2)
    if(WSI_WARNINGS_AS_ERRORS)
        target_compile_options(wsi_compile_settings INTERFACE -Werror)
    endif()
    if(WSI_SANITIZE)
        target_compile_options(wsi_compile_settings INTERFACE
            -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
        target_link_options(wsi_compile_settings INTERFACE -fsanitize=address,undefined)
    endif()
    if(WSI_BUILD_FUZZERS)
        if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
            message(FATAL_ERROR "WSI_BUILD_FUZZERS needs clang (libFuzzer): use the 'fuzz' preset")
        endif()
        # Coverage instrumentation for everything the fuzz targets reach; the targets add -fsanitize=fuzzer.
        target_compile_options(wsi_compile_settings INTERFACE
            -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
        target_link_options(wsi_compile_settings INTERFACE -fsanitize=address,undefined)
    endif()
elseif(MSVC)
    target_compile_options(wsi_compile_settings INTERFACE /W4 /permissive- /Zc:__cplusplus /utf-8)
    if(WSI_WARNINGS_AS_ERRORS)
        target_compile_options(wsi_compile_settings INTERFACE /WX)
    endif()
endif()
