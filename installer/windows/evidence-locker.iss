; Inno Setup script: a per-user installer (no administrator rights) for Evidence Locker,
; made from the PyInstaller folder dist\evidence-app. See README.md beside this file.
;
;   iscc /DAppVersion=0.1.0 installer\windows\evidence-locker.iss
;
; The version comes from evidence_app/__init__.py (the one place); build.ps1 passes it.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z (build.ps1 reads it from evidence_app/__init__.py)
#endif

#define AppName "Evidence Locker"
#define AppExe "evidence-app.exe"
#define Root "..\.."

[Setup]
; The AppId identifies the program to Windows for updates and uninstall: never change it.
AppId={{9ED77AB5-05BF-4C4E-8C5A-47B92A16C9BA}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Evidence Locker contributors
; Per user: installs into %LOCALAPPDATA%\Programs, asks for no administrator password and
; never offers to install for all users.
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#Root}\dist
OutputBaseFilename=evidence-locker-{#AppVersion}-windows-x64-setup
SetupIconFile={#Root}\resources\icons\evidence-app.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; The app may be open (e.g. during an update): ask to close it rather than fail.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "german"; MessagesFile: "compiler:Languages\German.isl"

[Tasks]
; Off by default: an icon on the desktop can tell someone who shares the computer that the
; app is there. The Start menu entry is always made.
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole one-folder build. A portable marker or a stick's data, if someone built from a
; folder that had them, must never end up in an installed copy.
Source: "{#Root}\dist\evidence-app\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs; Excludes: "evidence-locker-portable.txt,EvidenceLockerData\"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; The vault (%LOCALAPPDATA%\evidence-app) is evidence: uninstalling never deletes it.
