#!/bin/bash
# Deskside deb post-install. electron-builder treats this file as a template (${executable} and
# ${sanitizedProductName} are filled in at build time), and it replaces electron-builder's default
# after-install script, so the default's steps come first; Deskside's own steps follow.

if type update-alternatives >/dev/null 2>&1; then
    if [ -L '/usr/bin/${executable}' -a -e '/usr/bin/${executable}' -a "`readlink '/usr/bin/${executable}'`" != '/etc/alternatives/${executable}' ]; then
        rm -f '/usr/bin/${executable}'
    fi
    update-alternatives --install '/usr/bin/${executable}' '${executable}' '/opt/${sanitizedProductName}/${executable}' 100 || ln -sf '/opt/${sanitizedProductName}/${executable}' '/usr/bin/${executable}'
else
    ln -sf '/opt/${sanitizedProductName}/${executable}' '/usr/bin/${executable}'
fi

# The SUID sandbox helper is needed only where unprivileged user namespaces do not work.
if ! { [[ -L /proc/self/ns/user ]] && unshare --user true; }; then
    chmod 4755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
else
    chmod 0755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
fi

if hash update-mime-database 2>/dev/null; then
    update-mime-database /usr/share/mime || true
fi
if hash update-desktop-database 2>/dev/null; then
    update-desktop-database /usr/share/applications || true
fi

if apparmor_status --enabled > /dev/null 2>&1; then
  APPARMOR_PROFILE_SOURCE='/opt/${sanitizedProductName}/resources/apparmor-profile'
  APPARMOR_PROFILE_TARGET='/etc/apparmor.d/${executable}'
  if apparmor_parser --skip-kernel-load --debug "$APPARMOR_PROFILE_SOURCE" > /dev/null 2>&1; then
    cp -f "$APPARMOR_PROFILE_SOURCE" "$APPARMOR_PROFILE_TARGET"
    if ! { [ -x '/usr/bin/ischroot' ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
      apparmor_parser --replace --write-cache --skip-read-cache "$APPARMOR_PROFILE_TARGET"
    fi
  fi
fi

# --- Deskside ---------------------------------------------------------------------------------

# Start the agent, hidden in the tray, for every user at login. A user who turns "Start at login"
# off gets ~/.config/autostart/deskside.desktop with Hidden=true, which overrides this file.
mkdir -p /etc/xdg/autostart
cat > /etc/xdg/autostart/deskside.desktop <<'DESKTOP'
[Desktop Entry]
Type=Application
Version=1.0
Name=Deskside
Comment=Help desk and computer health check
Exec=/opt/${sanitizedProductName}/${executable} --hidden
Icon=${executable}
Terminal=false
Categories=Utility;
NoDisplay=false
X-GNOME-Autostart-enabled=true
X-GNOME-Autostart-Delay=5
DESKTOP
chmod 0644 /etc/xdg/autostart/deskside.desktop

# IT's configuration lives in /etc/deskside/config.json (root-owned, readable by the agent).
# Silent deployment: sudo DESKSIDE_SERVER_URL=https://… DESKSIDE_ENROLL_SECRET=… apt-get install ./deskside.deb
install -d -m 0755 -o root -g root /etc/deskside
json_safe() {
    case "$1" in
        *'"'* | *'\'* | *[[:cntrl:]]*) return 1 ;;
        *) return 0 ;;
    esac
}
if [ -n "$DESKSIDE_SERVER_URL" ]; then
    if json_safe "$DESKSIDE_SERVER_URL" && json_safe "$DESKSIDE_ENROLL_SECRET"; then
        umask 022
        if [ -n "$DESKSIDE_ENROLL_SECRET" ]; then
            printf '{\n  "serverUrl": "%s",\n  "enrollSecret": "%s"\n}\n' "$DESKSIDE_SERVER_URL" "$DESKSIDE_ENROLL_SECRET" > /etc/deskside/config.json.tmp
        else
            printf '{\n  "serverUrl": "%s"\n}\n' "$DESKSIDE_SERVER_URL" > /etc/deskside/config.json.tmp
        fi
        chmod 0644 /etc/deskside/config.json.tmp
        mv -f /etc/deskside/config.json.tmp /etc/deskside/config.json
        echo "Deskside: wrote /etc/deskside/config.json"
    else
        echo "Deskside: DESKSIDE_SERVER_URL or DESKSIDE_ENROLL_SECRET contains a quote, backslash or control character; /etc/deskside/config.json not written" >&2
    fi
fi
exit 0
