#!/bin/bash
# Deskside deb post-remove (a template like after-install.sh; replaces electron-builder's default,
# whose steps come first). dpkg passes "remove", "purge" or an upgrade action as $1.

if type update-alternatives >/dev/null 2>&1; then
    update-alternatives --remove '${executable}' '/opt/${sanitizedProductName}/${executable}'
else
    rm -f '/usr/bin/${executable}'
fi

APPARMOR_PROFILE_DEST='/etc/apparmor.d/${executable}'
if [ -f "$APPARMOR_PROFILE_DEST" ]; then
  if apparmor_status --enabled > /dev/null 2>&1; then
    if ! { [ -x '/usr/bin/ischroot' ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
      apparmor_parser --remove "$APPARMOR_PROFILE_DEST" || true
    fi
  fi
  rm -f "$APPARMOR_PROFILE_DEST"
fi

# --- Deskside: on removal (not on upgrade) the autostart entry goes; IT's config only on purge.
case "$1" in
    remove | purge) rm -f /etc/xdg/autostart/deskside.desktop ;;
esac
if [ "$1" = "purge" ]; then
    rm -f /etc/deskside/config.json
    rmdir /etc/deskside 2>/dev/null || true
fi
exit 0
