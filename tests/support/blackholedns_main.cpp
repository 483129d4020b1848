// SPDX-License-Identifier: MIT
// blackholedns PROGRAM [ARGS...]: runs PROGRAM in a private network and mount namespace where
// the only interface is loopback and /etc/resolv.conf names a DNS server on 127.0.0.1:53 that
// takes every query and never answers. So a test can show what a program does when DNS hangs
// (the resolver's own timeouts and retries, here 30 s x 3), without touching the machine's
// network or its resolv.conf.
//
// Needs root, or unprivileged user namespaces (then it maps the caller to root inside).
// Exit status: PROGRAM's (128 + signal if it was killed); 77 with one line on stderr that starts
// with "blackholedns: cannot" when the namespace cannot be set up (tests QSKIP with that line).
#include <arpa/inet.h>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

constexpr int kCannot = 77;

int cannot(const char *what)
{
    fprintf(stderr, "blackholedns: cannot %s: %s\n", what, strerror(errno));
    return kCannot;
}

int writeFile(const char *path, const char *text)
{
    const int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    const ssize_t n = write(fd, text, strlen(text));
    close(fd);
    return n == ssize_t(strlen(text)) ? 0 : -1;
}

int enterNamespaces()
{
    // Root in a container may lack CAP_SYS_ADMIN and still be allowed a user namespace.
    if (geteuid() == 0 && unshare(CLONE_NEWNET | CLONE_NEWNS) == 0)
        return 0;
    const uid_t uid = geteuid();
    const gid_t gid = getegid();
    if (unshare(CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWNS) != 0)
        return -1;
    char map[64];
    snprintf(map, sizeof map, "0 %u 1\n", unsigned(uid));
    if (writeFile("/proc/self/uid_map", map) != 0)
        return -1;
    if (writeFile("/proc/self/setgroups", "deny\n") != 0 && errno != ENOENT)
        return -1;
    snprintf(map, sizeof map, "0 %u 1\n", unsigned(gid));
    return writeFile("/proc/self/gid_map", map);
}

int loopbackUp()
{
    const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    int rc = ioctl(fd, SIOCGIFFLAGS, &ifr);
    if (rc == 0) {
        ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
        rc = ioctl(fd, SIOCSIFFLAGS, &ifr);
    }
    close(fd);
    return rc;
}

/** A UDP socket on 127.0.0.1:53 that takes queries and never answers. */
int silentDnsServer()
{
    const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    sockaddr_in address;
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_port = htons(53);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

int privateResolvConf()
{
    // Our mounts must not leak to the rest of the machine.
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
        return -1;
    char path[] = "/tmp/blackholedns-resolv-XXXXXX";
    const int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    static constexpr char kConf[] = "nameserver 127.0.0.1\noptions timeout:30 attempts:3\n";
    const ssize_t n = write(fd, kConf, sizeof kConf - 1);
    fchmod(fd, 0644);
    close(fd);
    if (n != ssize_t(sizeof kConf - 1))
        return -1;
    const int rc = mount(path, "/etc/resolv.conf", NULL, MS_BIND, NULL);
    // The mount keeps the file's contents reachable; the name is not needed any more.
    unlink(path);
    return rc;
}

} // namespace

int main(int argc, char *argv[])
{
    if (argc < 2) {
        fprintf(stderr, "usage: blackholedns PROGRAM [ARGS...]\n");
        return 2;
    }
    if (enterNamespaces() != 0)
        return cannot("enter a private network and mount namespace");
    if (loopbackUp() != 0)
        return cannot("bring up the loopback interface");
    if (privateResolvConf() != 0)
        return cannot("bind-mount a private /etc/resolv.conf");
    const int dns = silentDnsServer();
    if (dns < 0)
        return cannot("listen on 127.0.0.1:53");

    const pid_t child = fork();
    if (child < 0)
        return cannot("fork");
    if (child == 0) {
        execvp(argv[1], argv + 1);
        fprintf(stderr, "blackholedns: cannot run %s: %s\n", argv[1], strerror(errno));
        _exit(127);
    }
    // The queries wait unread in the socket's buffer (a few dozen small datagrams): no answer.
    int status = 0;
    while (waitpid(child, &status, 0) < 0) {
        if (errno != EINTR)
            return cannot("wait for the program");
    }
    close(dns);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
