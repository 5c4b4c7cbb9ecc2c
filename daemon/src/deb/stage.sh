#!/bin/sh
# Lays out the Debian package's files under daemon/target/deb/root and its control files under
# daemon/target/deb/control (run by `mvn package`, before jdeb packs them into
# target/paneld_VERSION_all.deb).
# Usage: stage.sh DAEMON_DIR DEB_VERSION PROJECT_VERSION
# Needs only sh, sed and gzip, so the .deb builds on any machine that builds the jars.
set -eu
daemon=$1
version=$2
if [ "$(echo "$3" | sed 's/-/~/')" != "$version" ]; then
  echo "stage.sh: daemon/pom.xml's deb.version $version does not match the project's version $3 (want $(echo "$3" | sed 's/-/~/'))" >&2
  exit 1
fi
repo=$daemon/..
src=$daemon/src/deb
out=$daemon/target/deb
root=$out/root

rm -rf "$out"
mkdir -p "$root"
# The control files jdeb reads ([[deb.version]] filled in by jdeb); the Python client adds a Depends.
cp -R "$src/control" "$out/control"
d() { mkdir -p "$root/$1"; }
put() { # put MODE SRC DEST
  mkdir -p "$root/$(dirname "$3")"
  cp "$2" "$root/$3"
  chmod "$1" "$root/$3"
}

# --- paneld and panelctl -------------------------------------------------------------------
put 0644 "$daemon/target/paneld.jar" usr/share/paneld/paneld.jar
put 0644 "$daemon/target/panelctl.jar" usr/share/paneld/panelctl.jar

# The daemon's JVM flags are those of systemd/paneld.service's ExecStart (between java and -jar):
# that file stays the one place they are written down; the packaged unit runs /usr/bin/paneld.
service=$repo/systemd/paneld.service
flags=$(sed -n 's|^ExecStart=[^ ]*java \(.*\) -jar .*|\1|p' "$service")
[ -n "$flags" ] || { echo "stage.sh: no 'ExecStart=…java FLAGS -jar' line in $service" >&2; exit 1; }
# panelctl is short-lived: a quick start, a small heap.
ctlflags="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -Xmx128m -Djava.awt.headless=true --enable-native-access=ALL-UNNAMED"
wrapper() { # wrapper NAME JAR FLAGS DESCRIPTION
  d usr/bin
  sed -e "s|@NAME@|$1|g" -e "s|@JAR@|$2|g" -e "s|@FLAGS@|$3|g" -e "s|@WHAT@|$4|g" "$src/wrapper.sh.in" > "$root/usr/bin/$1"
  chmod 0755 "$root/usr/bin/$1"
}
wrapper paneld /usr/share/paneld/paneld.jar "$flags" "the paneld daemon, with the JVM flags of paneld.service"
wrapper panelctl /usr/share/paneld/panelctl.jar "$ctlflags" "panelctl, the command line client of paneld"

# --- systemd, sysusers, tmpfiles, udev ----------------------------------------------------------
d lib/systemd/system
sed 's|^ExecStart=.*|ExecStart=/usr/bin/paneld --config /etc/paneld/paneld.toml|' "$service" > "$root/lib/systemd/system/paneld.service"
put 0644 "$repo/systemd/paneld.socket" lib/systemd/system/paneld.socket
put 0644 "$repo/systemd/sysusers.d/paneld.conf" usr/lib/sysusers.d/paneld.conf
put 0644 "$repo/systemd/tmpfiles.d/paneld.conf" usr/lib/tmpfiles.d/paneld.conf
put 0644 "$repo/systemd/udev/99-paneld.rules" lib/udev/rules.d/99-paneld.rules
chmod 0644 "$root/lib/systemd/system/paneld.service"

# --- configuration (a conffile: control/conffiles) ----------------------------------------------
put 0644 "$src/paneld.toml" etc/paneld/paneld.toml

# --- documentation -----------------------------------------------------------------------------
doc=usr/share/doc/paneld
put 0644 "$repo/README.md" $doc/README.md
put 0644 "$repo/systemd/paneld.toml.example" $doc/examples/paneld.toml.example
put 0644 "$src/copyright" $doc/copyright
d $doc
sed "s|@VERSION@|$version|g" "$src/changelog.in" | gzip -9n > "$root/$doc/changelog.gz"
d usr/share/man/man1
for page in paneld.1 panelctl.1; do
  gzip -9n < "$src/$page" > "$root/usr/share/man/man1/$page.gz"
done

# --- the desktop mirror (issue 18): the script, its man page and a user unit (not enabled: a user
# enables it for their session, see paneld-mirror(1))
put 0755 "$repo/mirror/paneld-mirror" usr/bin/paneld-mirror
gzip -9n < "$src/paneld-mirror.1" > "$root/usr/share/man/man1/paneld-mirror.1.gz"
d usr/lib/systemd/user
sed -e 's|^ExecStart=.*|ExecStart=/usr/bin/paneld-mirror|' -e '/^#   install /d' \
    -e 's|^#   systemctl --user enable --now paneld-mirror|#   systemctl --user enable --now paneld-mirror   (installed by the paneld package)|' \
    "$repo/mirror/paneld-mirror.service" > "$root/usr/lib/systemd/user/paneld-mirror.service"
chmod 0644 "$root/usr/lib/systemd/user/paneld-mirror.service"
sed -e '/^Recommends: /a\
Suggests: wf-recorder | grim' "$out/control/control" > "$out/control/control.new"
mv "$out/control/control.new" "$out/control/control"

# --- the clients of other languages, when the tree has them ----------------------------------------
# Python (protocol/python, issue 14): the package paneld -> /usr/lib/python3/dist-packages/paneld
# (its .py files and py.typed, no tests or byte code), its examples and README as documentation.
for py in "$repo/protocol/python/paneld" "$repo/protocol/python/src/paneld"; do
  [ -d "$py" ] || continue
  (cd "$py" && find . -type f \( -name '*.py' -o -name py.typed \) -not -path '*/__pycache__/*' -not -path '*/tests/*' -not -name 'test_*') |
    while read -r f; do put 0644 "$py/$f" "usr/lib/python3/dist-packages/paneld/$f"; done
  for f in "$repo"/protocol/python/examples/*.py; do
    [ -f "$f" ] && put 0644 "$f" "$doc/examples/python/$(basename "$f")"
  done
  [ -f "$repo/protocol/python/README.md" ] && put 0644 "$repo/protocol/python/README.md" "$doc/python/README.md"
  sed -e 's/^Depends: .*/&, python3 (>= 3.9)/' -e 's/^Suggests: .*/&, python3-pil, python3-numpy/' \
    "$out/control/control" > "$out/control/control.new"
  mv "$out/control/control.new" "$out/control/control"
  break
done
# C (protocol/c): the package is Architecture: all, so no compiled library goes in: the client's
# sources go to /usr/share/paneld/c, built and installed from there with its Makefile:
#   make -C /usr/share/paneld/c BUILD=$HOME/paneld-c && sudo make -C /usr/share/paneld/c BUILD=$HOME/paneld-c install
if [ -f "$repo/protocol/c/paneld.h" ]; then
  for f in paneld.h paneld_internal.h paneld.c paneld_wire.c Makefile paneld.pc.in README.md examples/*.c; do
    for g in "$repo"/protocol/c/$f; do
      [ -f "$g" ] && put 0644 "$g" "usr/share/paneld/c/${g#"$repo"/protocol/c/}"
    done
  done
fi
exit 0
