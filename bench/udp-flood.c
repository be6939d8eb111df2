// UDP at a set packet rate, for the capture bench (bench/capture.bench.ts); built by the bench itself.
//   udp-flood send DST_IP PORT PPS SECONDS PAYLOAD   sendmmsg in batches, paced by the clock; prints packets sent
//   udp-flood sink BIND_IP PORT                      recvmmsg until killed (so the peer answers no ICMP)
// Pacing: every 1 ms the packets due by then go out in one sendmmsg, so the rate holds at 100k/s
// without one system call per packet.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 256

static double now_s(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

int main(int argc, char **argv) {
  if (argc < 4) { fprintf(stderr, "usage: udp-flood send DST PORT PPS SECONDS PAYLOAD | sink BIND PORT\n"); return 2; }
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[3])) };
  if (inet_pton(AF_INET, argv[2], &a.sin_addr) != 1) { fprintf(stderr, "bad address\n"); return 2; }
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) { perror("socket"); return 1; }
  static char buf[BATCH][2048];
  struct mmsghdr m[BATCH];
  struct iovec iov[BATCH];
  memset(m, 0, sizeof m);
  if (!strcmp(argv[1], "sink")) {
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) { perror("bind"); return 1; }
    for (int i = 0; i < BATCH; i++) { iov[i] = (struct iovec){ buf[i], sizeof buf[i] }; m[i].msg_hdr.msg_iov = &iov[i]; m[i].msg_hdr.msg_iovlen = 1; }
    printf("ready\n"); fflush(stdout);
    for (;;) if (recvmmsg(fd, m, BATCH, 0, NULL) < 0) { perror("recvmmsg"); return 1; }
  }
  if (argc < 7) { fprintf(stderr, "usage: udp-flood send DST PORT PPS SECONDS PAYLOAD\n"); return 2; }
  double pps = atof(argv[4]), secs = atof(argv[5]);
  size_t len = (size_t)atoi(argv[6]);
  if (len > sizeof buf[0]) len = sizeof buf[0];
  if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) { perror("connect"); return 1; }
  for (int i = 0; i < BATCH; i++) { iov[i] = (struct iovec){ buf[i], len }; m[i].msg_hdr.msg_iov = &iov[i]; m[i].msg_hdr.msg_iovlen = 1; }
  double t0 = now_s();
  unsigned long long sent = 0;
  for (;;) {
    double el = now_s() - t0;
    if (el >= secs) break;
    unsigned long long due = (unsigned long long)(el * pps) - sent;
    while (due > 0) {
      int n = due > BATCH ? BATCH : (int)due;
      int k = sendmmsg(fd, m, (unsigned)n, 0);
      if (k <= 0) break;
      sent += (unsigned)k; due -= (unsigned)k;
    }
    struct timespec ms = { 0, 1000000 };
    nanosleep(&ms, NULL);
  }
  printf("%llu\n", sent);
  return 0;
}
