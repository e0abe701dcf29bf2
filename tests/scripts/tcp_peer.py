#!/usr/bin/env python3
"""A hostile SIP peer over TCP, for transports.sh: it accepts one
connection, reads the first message (at most 3 s), then, by MODE:
  badlen  answers with a response whose Content-Length is not a number
  garbage answers with bytes that are not SIP
  nul     answers with a 180 whose reason phrase holds a NUL byte
  close   closes the connection without a word
  biglen  answers with a response whose Content-Length (5000) is more
          than it sends (12 bytes), and keeps the connection open 4 s
and exits (at most 8 s in all).
usage: tcp_peer.py HOST PORT MODE"""
import socket
import sys
import time

host, port, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
fam = socket.AF_INET6 if ':' in host else socket.AF_INET
srv = socket.socket(fam, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind((host, port))
srv.listen(1)
srv.settimeout(5)
print("listening", flush=True)
try:
    conn, _ = srv.accept()
except socket.timeout:
    sys.exit(1)
conn.settimeout(3)
data = b""
end = time.time() + 3
while b"\r\n\r\n" not in data and time.time() < end:
    try:
        chunk = conn.recv(4096)
    except socket.timeout:
        break
    if not chunk:
        break
    data += chunk

if mode == "badlen":
    conn.sendall(b"SIP/2.0 180 Ringing\r\nCSeq: 1 INVITE\r\n"
                 b"Content-Length: twelve\r\n\r\n")
elif mode == "biglen":
    conn.sendall(b"SIP/2.0 180 Ringing\r\nCSeq: 1 INVITE\r\n"
                 b"Content-Length: 5000\r\n\r\nhello world!")
    time.sleep(3)
elif mode == "nul":
    conn.sendall(b"SIP/2.0 180 Ring\0ing\r\nCSeq: 1 INVITE\r\n"
                 b"Content-Length: 0\r\n\r\n")
elif mode == "garbage":
    conn.sendall(b"\x16\x03\x01 this is not SIP\r\n\r\n")
conn.close() if mode == "close" else time.sleep(1)
conn.close()
srv.close()
