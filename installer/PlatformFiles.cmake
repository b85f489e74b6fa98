# SPDX-License-Identifier: GPL-3.0-or-later
# What an executable carries on Windows and macOS: its icon and version. Called from app/CMakeLists.txt right
# after the target is created, so that Qt's deferred target finalization (end of that directory) already sees
# the bundle's Info.plist instead of putting its own default in place first.

set(WSI_ICON_DIR ${PROJECT_SOURCE_DIR}/resources/icons/app)

# wsi_add_platform_files(<target> <description>)
function(wsi_add_platform_files target description)
    if(WIN32)
        # The icon Explorer and the taskbar show (Qt takes IDI_ICON1 as the default window icon too) and the
        # version resource of Explorer's Details tab.
        set(WSI_RC_ICON ${WSI_ICON_DIR}/wsinspector.ico)
        set(WSI_RC_NAME ${target})
        set(WSI_RC_DESCRIPTION "${description}")
        configure_file(${PROJECT_SOURCE_DIR}/installer/windows/version.rc.in ${CMAKE_CURRENT_BINARY_DIR}/${target}.rc
                       @ONLY)
        target_sources(${target} PRIVATE ${CMAKE_CURRENT_BINARY_DIR}/${target}.rc)
    endif()
    get_target_property(is_bundle ${target} MACOSX_BUNDLE)
    if(APPLE AND is_bundle)
        set(icns ${WSI_ICON_DIR}/wsinspector.icns)
        set_source_files_properties(${icns} PROPERTIES MACOSX_PACKAGE_LOCATION Resources)
        target_sources(${target} PRIVATE ${icns})
        # CMake configures the template itself (both ${} and @@ forms) when it generates the bundle.
        set_target_properties(${target} PROPERTIES
            MACOSX_BUNDLE_INFO_PLIST ${PROJECT_SOURCE_DIR}/installer/macos/Info.plist.in)
    endif()
endfunction()
