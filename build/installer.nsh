; Deskside additions to electron-builder's NSIS installer (included through nsis.include).
;
; Silent mass deployment:
;   Deskside-Setup-x.y.z.exe /S /SERVER=https://helpdesk.example.com /SECRET=<enrollment secret>
; writes %ProgramData%\Deskside\config.json = {"serverUrl": "...", "enrollSecret": "..."}, which the
; agent reads at start (src/main/services/managed-config.ts) and enrolls with silently. Without
; /SERVER an existing config.json is left as it is (upgrades keep it). The folder is made writable
; by administrators only, so a standard user cannot plant or change IT's configuration.
;
; Every install also adds an HKLM Run entry so the agent starts, hidden in the tray, for every user
; at login; uninstalling removes it (but not config.json: redeploying keeps the enrollment settings).

!include "FileFunc.nsh"
!include "LogicLib.nsh"

!define DESKSIDE_RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"
!define DESKSIDE_RUN_VALUE "Deskside"

; The installer part; the uninstaller is compiled separately (BUILD_UNINSTALLER) and must not see it,
; or NSIS warns about an unreferenced function, which electron-builder treats as an error.
!ifndef BUILD_UNINSTALLER

; $0 = value to check; sets $1 to "ok" when it contains no character that would need escaping in
; JSON or that no URL or secret has (quote, backslash, control characters).
Function DesksideCheckJsonSafe
  Push $2
  Push $3
  StrCpy $1 "ok"
  StrCpy $2 0
  loop:
    StrCpy $3 $0 1 $2
    StrCmp $3 "" done
    StrCmp $3 '"' bad
    StrCmp $3 "\" bad
    StrCmp $3 "$\r" bad
    StrCmp $3 "$\n" bad
    StrCmp $3 "$\t" bad
    IntOp $2 $2 + 1
    Goto loop
  bad:
    StrCpy $1 "bad"
  done:
  Pop $3
  Pop $2
FunctionEnd

!macro customInstall
  ; Start at login for every user, in the tray (HKLM is honoured for all accounts).
  WriteRegStr HKLM "${DESKSIDE_RUN_KEY}" "${DESKSIDE_RUN_VALUE}" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" --hidden'

  ; /SERVER=<url> /SECRET=<secret> from the command line (documented FileFunc macros).
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/SERVER=" $R1
  ${If} ${Errors}
    StrCpy $R1 ""
  ${EndIf}
  ClearErrors
  ${GetOptions} $R0 "/SECRET=" $R2
  ${If} ${Errors}
    StrCpy $R2 ""
  ${EndIf}

  ${If} $R1 != ""
    StrCpy $0 $R1
    Call DesksideCheckJsonSafe
    StrCpy $R3 $1
    StrCpy $0 $R2
    Call DesksideCheckJsonSafe
    ${If} $R3 != "ok"
    ${OrIf} $1 != "ok"
      DetailPrint "Deskside: /SERVER or /SECRET contains a quote, backslash or control character; config.json not written."
      SetErrorLevel 2
    ${Else}
      ReadEnvStr $R4 "ProgramData"
      ${If} $R4 == ""
        StrCpy $R4 "$WINDIR\..\ProgramData"
      ${EndIf}
      CreateDirectory "$R4\Deskside"
      ; SYSTEM and Administrators: full control; Users: read only. Inheritance from ProgramData
      ; (which lets users create files in subfolders) is removed.
      nsExec::ExecToLog 'icacls "$R4\Deskside" /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F *S-1-5-32-545:(OI)(CI)RX'
      Pop $R5
      ClearErrors
      FileOpen $R6 "$R4\Deskside\config.json" w
      ${IfNot} ${Errors}
        ${If} $R2 != ""
          FileWrite $R6 '{$\r$\n  "serverUrl": "$R1",$\r$\n  "enrollSecret": "$R2"$\r$\n}$\r$\n'
        ${Else}
          FileWrite $R6 '{$\r$\n  "serverUrl": "$R1"$\r$\n}$\r$\n'
        ${EndIf}
        FileClose $R6
        DetailPrint "Deskside: wrote $R4\Deskside\config.json"
      ${Else}
        DetailPrint "Deskside: could not write $R4\Deskside\config.json"
        SetErrorLevel 2
      ${EndIf}
    ${EndIf}
  ${EndIf}
!macroend

!endif ; BUILD_UNINSTALLER

!macro customUnInstall
  ; An upgrade runs the old uninstaller first; the new installer writes the entry again anyway.
  ${ifNot} ${isUpdated}
    DeleteRegValue HKLM "${DESKSIDE_RUN_KEY}" "${DESKSIDE_RUN_VALUE}"
  ${endIf}
!macroend
