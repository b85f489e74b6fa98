# SPDX-License-Identifier: GPL-3.0-or-later
# Read by cpack once per generator (CPACK_PROJECT_CONFIG_FILE), with CPACK_GENERATOR set to the one at work.
# Strings here are parsed once, by cpack: a backslash written in a bracket argument reaches NSIS as it is.

if(CPACK_GENERATOR STREQUAL "NSIS")
    set(CPACK_NSIS_PACKAGE_NAME "WS Inspector")
    set(CPACK_NSIS_DISPLAY_NAME "WS Inspector")
    set(CPACK_NSIS_URL_INFO_ABOUT "${CPACK_PACKAGE_HOMEPAGE_URL}")
    set(CPACK_NSIS_INSTALLED_ICON_NAME [=[bin\wsinspector.exe]=])
    set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
    set(CPACK_NSIS_MANIFEST_DPI_AWARE ON)
    # Recordings (.wsirec) open with the app. SHCTX is HKLM for an all-users install and HKCU otherwise; the
    # ProgID names the app and its icon, and SHChangeNotify makes Explorer pick the association up at once.
    set(CPACK_NSIS_EXTRA_INSTALL_COMMANDS [=[
  WriteRegStr SHCTX "Software\Classes\.wsirec" "" "WSInspector.Recording"
  WriteRegStr SHCTX "Software\Classes\.wsirec" "Content Type" "application/x-wsinspector-recording"
  WriteRegStr SHCTX "Software\Classes\WSInspector.Recording" "" "WS Inspector recording"
  WriteRegStr SHCTX "Software\Classes\WSInspector.Recording\DefaultIcon" "" "$INSTDIR\bin\wsinspector.exe,0"
  WriteRegStr SHCTX "Software\Classes\WSInspector.Recording\shell\open\command" "" '"$INSTDIR\bin\wsinspector.exe" "%1"'
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
]=])
    # The extension is removed only while it still points at us: another program may have taken it since.
    set(CPACK_NSIS_EXTRA_UNINSTALL_COMMANDS [=[
  DeleteRegKey SHCTX "Software\Classes\WSInspector.Recording"
  Push $R9
  ReadRegStr $R9 SHCTX "Software\Classes\.wsirec" ""
  StrCmp $R9 "WSInspector.Recording" 0 +2
    DeleteRegKey SHCTX "Software\Classes\.wsirec"
  Pop $R9
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
]=])
endif()
