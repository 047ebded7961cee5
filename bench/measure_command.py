#!/usr/bin/env python3
"""Runs commands in alternation and prints, per command, the CPU ms (user + system) and peak RSS MB of each run.

Used by bench/targets.ts. A process's peak RSS as the kernel reports it to the parent (wait4's ru_maxrss) includes
memory the child shared with the parent before exec: measured from a Bun parent every figure is at least the ~24 MB
of that parent, more than a bare Bun hello world uses. This helper is small, forks and execs directly, and
alternates the commands round by round so that load on a busy machine falls on all of them alike.

    python3 bench/measure_command.py <runs> <command...> [-- <command...>]...
"""
import json
import os
import sys


def run_once(command):
    pid = os.fork()
    if pid == 0:
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        try:
            os.execv(command[0], command)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(command)} exited {os.waitstatus_to_exitcode(status)}")
    return (usage.ru_utime + usage.ru_stime) * 1000, usage.ru_maxrss / 1024


def main():
    runs = int(sys.argv[1])
    commands, current = [], []
    for arg in sys.argv[2:]:
        if arg == "--":
            commands.append(current)
            current = []
        else:
            current.append(arg)
    commands.append(current)
    results = [{"cpuMs": [], "rssMb": []} for _ in commands]
    for _ in range(runs):
        for command, result in zip(commands, results):
            cpu, rss = run_once(command)
            result["cpuMs"].append(cpu)
            result["rssMb"].append(rss)
    print(json.dumps(results))


main()
