# Build Evidence Locker on Windows: the PyInstaller folder, the per-user installer (Inno Setup)
# and the portable zip for USB sticks. Run from the repository root in PowerShell:
#   powershell -ExecutionPolicy Bypass -File installer\windows\build.ps1
# Needs: Python 3.11+ (python on PATH) and Inno Setup 6 (iscc); the fonts ship in
# resources\fonts (see README.md beside this file).
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")

if (-not (Test-Path .venv)) { python -m venv .venv }
$py = ".venv\Scripts\python.exe"
& $py -m pip install -q --upgrade pip
& $py -m pip install -q -e ".[dist]"
if ($LASTEXITCODE -ne 0) { throw "pip install failed" }
& $py -m evidence_app.tools.catalogues compile
if ($LASTEXITCODE -ne 0) { throw "compiling the catalogues failed" }
$version = (& $py -c "import evidence_app; print(evidence_app.__version__)").Trim()

# 1. The one-folder build: dist\evidence-app\evidence-app.exe (windowed) and
#    evidence-app-cli.exe (the command line, with a console).
Remove-Item -Recurse -Force dist\evidence-app, build\evidence-app -ErrorAction SilentlyContinue
& $py -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build `
    installer\evidence-app.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }
& dist\evidence-app\evidence-app-cli.exe --version
if ($LASTEXITCODE -ne 0) { throw "the built app does not start" }

# 2. The per-user installer: dist\evidence-locker-<version>-windows-x64-setup.exe
$iscc = (Get-Command iscc -ErrorAction SilentlyContinue).Source
if (-not $iscc) { $iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
& $iscc "/DAppVersion=$version" installer\windows\evidence-locker.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }

# 3. The portable zip: the same folder plus the marker file, under one folder name.
$stage = "build\portable\EvidenceLocker"
Remove-Item -Recurse -Force build\portable -ErrorAction SilentlyContinue
New-Item -ItemType Directory -Force $stage | Out-Null
Copy-Item -Recurse dist\evidence-app\* $stage
Copy-Item installer\portable\evidence-locker-portable.txt $stage
$zip = "dist\evidence-locker-$version-windows-x64-portable.zip"
Remove-Item -Force $zip -ErrorAction SilentlyContinue
Compress-Archive -Path $stage -DestinationPath $zip
Get-FileHash -Algorithm SHA256 dist\evidence-locker-$version-windows-* | Format-List
