#!/usr/bin/perl
# What systemd does for a .socket unit with NonBlocking=yes: bind and listen on a Unix stream
# socket, hand it to the service as fd 3 (non-blocking), set LISTEN_FDS=1 and LISTEN_PID to the
# service's pid, then exec the service (same pid).  Usage: listen-fd-launcher.pl SOCKET CMD ARGS...
use strict;
use warnings;
use Socket;
use Fcntl;
use POSIX ();

# fds up to $^F are not close-on-exec: the socket (fd 3) must survive exec
BEGIN { $^F = 3; }

my $path = shift @ARGV or die "usage: $0 SOCKET CMD ARGS...\n";
socket(my $s, PF_UNIX, SOCK_STREAM, 0) or die "socket: $!\n";
unlink $path;
bind($s, pack_sockaddr_un($path)) or die "bind $path: $!\n";
listen($s, 64) or die "listen: $!\n";
my $flags = fcntl($s, F_GETFL, 0) or die "fcntl: $!\n";
fcntl($s, F_SETFL, $flags | O_NONBLOCK) or die "fcntl: $!\n";
if (fileno($s) != 3) {
    defined(POSIX::dup2(fileno($s), 3)) or die "dup2: $!\n";
}
$ENV{LISTEN_FDS} = "1";
$ENV{LISTEN_PID} = "$$";
$ENV{LISTEN_FDNAMES} = "paneld.socket";
exec { $ARGV[0] } @ARGV or die "exec $ARGV[0]: $!\n";
