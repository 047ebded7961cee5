# Installs or upgrades pi on Windows, in PowerShell:
#   irm https://github.com/pi-binary/pi/releases/latest/download/install.ps1 | iex
# or, with options:  & ([scriptblock]::Create((irm <url>/install.ps1))) -Version 0.2.0
#
# The same steps and checks as install.sh, and the layout `pi update` works with:
#   $Root\versions\<version>\pi.exe   every installed version; a version folder is never modified
#   $Root\install.json                what was installed and the previous version ("layout": "copy")
#   $Root\bin\pi.exe                  a copy of the current version, on the user's PATH. A running pi.exe cannot be
#                                     overwritten, but it can be renamed: the old one moves aside and is deleted later.
# Everything happens inside Install-Pi, called on the last line, so a truncated download of this script runs nothing.

function Install-Pi {
    [CmdletBinding()]
    param(
        [string]$Version = $env:PI_INSTALL_VERSION,
        [string]$Dir = $env:PI_INSTALL_DIR,
        [string]$Root = $env:PI_INSTALL_ROOT,
        [string]$BaseUrl = $env:PI_INSTALL_BASE_URL,
        [switch]$Help
    )
    $ErrorActionPreference = 'Stop'
    Set-StrictMode -Version 3

    if ($Help) {
        Write-Output @'
Install pi, the terminal coding agent, or upgrade an installed one.

Usage: irm https://github.com/pi-binary/pi/releases/latest/download/install.ps1 | iex
       & ([scriptblock]::Create((irm <url>))) [-Version <version>] [-Dir <folder>] [-Help]

Options (or environment variables):
  -Version  PI_INSTALL_VERSION   install this release (e.g. 0.2.0) instead of the latest
  -Dir      PI_INSTALL_DIR       where pi.exe goes (default %LOCALAPPDATA%\pi-binary\bin, added to your PATH)
  -Root     PI_INSTALL_ROOT      where versions are kept (default %LOCALAPPDATA%\pi-binary)
  -BaseUrl  PI_INSTALL_BASE_URL  release root laid out like GitHub's, for mirrors

The download is checked against the release's SHA256SUMS, and the new pi.exe must run (pi --version) before
it replaces the installed one; on any failure the installed pi is left as it was. Afterwards `pi update`
updates it.
'@
        return
    }

    function Fail([string]$Message) {
        throw "pi install: error: $Message"
    }

    # Checks before anything is downloaded.
    if ($PSVersionTable.PSVersion.Major -lt 5) { Fail 'PowerShell 5 or newer is needed (Windows 10 has it)' }
    if (-not (Get-Command Get-FileHash -ErrorAction SilentlyContinue)) { Fail 'Get-FileHash is missing: PowerShell 5 or newer is needed to verify the download' }
    if (-not (Get-Command Expand-Archive -ErrorAction SilentlyContinue)) { Fail 'Expand-Archive is missing: PowerShell 5 or newer is needed to unpack pi' }
    $arch = $env:PROCESSOR_ARCHITECTURE
    if ($env:PROCESSOR_ARCHITEW6432) { $arch = $env:PROCESSOR_ARCHITEW6432 }
    if ($arch -ne 'AMD64' -and $arch -ne 'ARM64') { Fail "unsupported platform: CPU architecture $arch (pi is built for x64; ARM64 runs it emulated)" }
    $artifact = 'pi-windows-x64'
    $archive = "$artifact.zip"

    if (-not $BaseUrl) { $BaseUrl = 'https://github.com/pi-binary/pi/releases' }
    $BaseUrl = $BaseUrl.TrimEnd('/')
    if ($Version) { $Version = $Version.TrimStart('v') }
    $url = if ($Version) { "$BaseUrl/download/v$Version" } else { "$BaseUrl/latest/download" }
    if (-not $Root) { $Root = Join-Path $env:LOCALAPPDATA 'pi-binary' }
    if (-not $Dir) { $Dir = Join-Path $Root 'bin' }
    $versions = Join-Path $Root 'versions'
    New-Item -ItemType Directory -Force -Path $versions, $Dir | Out-Null

    # TLS 1.2 for Windows PowerShell 5.1, whose default may predate it.
    [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12

    # One installer or `pi update` at a time (the same lock folder); a lock whose owner is gone is taken over.
    $lock = Join-Path $Root 'update.lock'
    if (Test-Path $lock) {
        $owner = Get-Content (Join-Path $lock 'pid') -ErrorAction SilentlyContinue
        if ($owner -and (Get-Process -Id ([int]$owner) -ErrorAction SilentlyContinue)) {
            Fail "another pi install or update is running (process $owner); wait for it to finish and run this again"
        }
        Remove-Item -Recurse -Force $lock
    }
    New-Item -ItemType Directory -Path $lock | Out-Null
    Set-Content -Path (Join-Path $lock 'pid') -Value $PID
    $staging = Join-Path $versions ('.staging-' + [Guid]::NewGuid().ToString('N'))
    try {
        New-Item -ItemType Directory -Path $staging | Out-Null
        Write-Output "Downloading $archive from $url"
        try {
            Invoke-WebRequest -UseBasicParsing -Uri "$url/SHA256SUMS" -OutFile (Join-Path $staging 'SHA256SUMS')
        } catch {
            $status = $null
            if ($_.Exception.PSObject.Properties['Response'] -and $_.Exception.Response) { $status = [int]$_.Exception.Response.StatusCode }
            if ($status -eq 404 -and $Version) { Fail "pi $Version is not a published release (no $url/SHA256SUMS). The releases are listed at $BaseUrl" }
            Fail "download failed: $url/SHA256SUMS ($($_.Exception.Message))"
        }
        $expected = $null
        foreach ($line in Get-Content (Join-Path $staging 'SHA256SUMS')) {
            if ($line -match '^([0-9a-fA-F]{64}) [ *](.+)$' -and $Matches[2] -eq $archive) { $expected = $Matches[1].ToLower() }
        }
        if (-not $expected) { Fail "SHA256SUMS of this release has no entry for $archive" }
        $zip = Join-Path $staging $archive
        try {
            Invoke-WebRequest -UseBasicParsing -Uri "$url/$archive" -OutFile $zip
        } catch {
            Fail "download failed: $url/$archive ($($_.Exception.Message))"
        }
        $actual = (Get-FileHash -Algorithm SHA256 -Path $zip).Hash.ToLower()
        if ($actual -ne $expected) { Fail "checksum mismatch for ${archive}: expected $expected, got $actual. Nothing was installed." }

        $unpacked = Join-Path $staging 'unpacked'
        Expand-Archive -Path $zip -DestinationPath $unpacked
        $newExe = Join-Path $unpacked 'pi.exe'
        if (-not (Test-Path $newExe)) { Fail "$archive does not contain pi.exe. Nothing was installed." }

        # The new pi must run here before it replaces anything.
        $newVersion = $null
        $exitCode = 1
        try {
            $newVersion = (& $newExe --version 2>$null | Select-Object -First 1)
            $exitCode = $LASTEXITCODE
        } catch { $newVersion = $null }
        if ($exitCode -ne 0 -or -not $newVersion) { Fail 'the downloaded pi.exe does not run on this machine. Nothing was changed.' }
        $newVersion = "$newVersion".Trim()
        if ($newVersion -notmatch '^[0-9A-Za-z.+-]+$') { Fail "the downloaded pi printed an unexpected version: $newVersion. Nothing was changed." }
        if ($Version -and $newVersion -ne $Version) { Fail "asked for pi $Version, but the downloaded binary is $newVersion. Nothing was changed." }

        $live = Join-Path $Dir 'pi.exe'
        $previous = ''
        if (Test-Path $live) {
            try { $previous = "$(& $live --version 2>$null | Select-Object -First 1)".Trim() } catch { $previous = '' }
        }
        $recordPath = Join-Path $Root 'install.json'
        $record = $null
        if (Test-Path $recordPath) { $record = Get-Content -Raw $recordPath | ConvertFrom-Json }
        # A pi.exe put there by hand: keep it as a version so that `pi update --rollback` can return to it.
        if ($previous -and $previous -ne $newVersion -and $previous -match '^[0-9A-Za-z.+-]+$' -and -not (Test-Path (Join-Path $versions $previous))) {
            New-Item -ItemType Directory -Path (Join-Path $versions $previous) | Out-Null
            Copy-Item $live (Join-Path (Join-Path $versions $previous) 'pi.exe')
        }

        $versionDir = Join-Path $versions $newVersion
        if (Test-Path $versionDir) { Move-Item $versionDir (Join-Path $staging 'replaced') }
        New-Item -ItemType Directory -Path $versionDir | Out-Null
        Move-Item $newExe (Join-Path $versionDir 'pi.exe')

        # Switch: the running pi.exe (if any) is renamed aside, the new copy renamed in.
        $incoming = Join-Path $Dir ".pi-new-$PID.exe"
        Copy-Item (Join-Path $versionDir 'pi.exe') $incoming -Force
        $aside = $null
        if (Test-Path $live) {
            $aside = Join-Path $Dir (".pi-old-" + [DateTime]::UtcNow.Ticks + ".exe")
            Move-Item $live $aside
        }
        try {
            Move-Item $incoming $live
        } catch {
            if ($aside) { Move-Item $aside $live }
            Fail "cannot install to $live ($($_.Exception.Message))"
        }
        Get-ChildItem -Path $Dir -Filter '.pi-old-*.exe' -ErrorAction SilentlyContinue | ForEach-Object {
            Remove-Item $_.FullName -Force -ErrorAction SilentlyContinue
        }

        $previousVersion = ''
        if ($previous -and $previous -ne $newVersion -and (Test-Path (Join-Path $versions $previous))) { $previousVersion = $previous }
        elseif ($record -and $record.PSObject.Properties['previous']) { $previousVersion = [string]$record.previous }
        $json = [ordered]@{
            kind          = 'pi-binary-install'
            schemaVersion = 1
            installedBy   = 'install.ps1'
            artifact      = $artifact
            binDir        = $Dir
            current       = $newVersion
            previous      = $previousVersion
            layout        = 'copy'
        } | ConvertTo-Json
        Set-Content -Path "$recordPath.tmp" -Value $json -Encoding UTF8
        Move-Item -Force "$recordPath.tmp" $recordPath

        # Keep the installed and the previous version; older ones go (one still running is left for next time).
        Get-ChildItem -Path $versions -Directory | Where-Object { -not $_.Name.StartsWith('.') -and $_.Name -ne $newVersion -and $_.Name -ne $previousVersion } |
            ForEach-Object { Remove-Item -Recurse -Force $_.FullName -ErrorAction SilentlyContinue }

        if ($previous -and $previous -ne $newVersion) { Write-Output "Upgraded pi $previous -> $newVersion at $live" }
        else { Write-Output "Installed pi $newVersion at $live" }

        $userPath = [Environment]::GetEnvironmentVariable('Path', 'User')
        if (-not $userPath) { $userPath = '' }
        if (-not (($userPath -split ';') -contains $Dir)) {
            [Environment]::SetEnvironmentVariable('Path', (($userPath.TrimEnd(';'), $Dir) -join ';').TrimStart(';'), 'User')
            Write-Output ''
            Write-Output "Added $Dir to your PATH. Open a new terminal to use pi."
        }
        Write-Output 'The bash tool needs Git Bash (Git for Windows); without it, enable the powershell tool (see the README).'
    } finally {
        Remove-Item -Recurse -Force $staging -ErrorAction SilentlyContinue
        Remove-Item -Recurse -Force $lock -ErrorAction SilentlyContinue
    }
}

Install-Pi @args
