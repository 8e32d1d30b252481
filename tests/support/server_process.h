// Runs the real adloom binary for black-box tests: its own data dir, a free port (the
// server binds port 0 and prints the real one), stderr captured to a file for failure
// messages. Never a fixed path or port; stopped with its own pid only.
#pragma once

#include <string>
#include <vector>

#include <sys/types.h>

namespace adloom::testing {

struct ProcessResult {
  int exit_code = -1;  // -signal when killed by a signal
  std::string out;
  std::string err;
};

// Runs `adloom <args…>` to completion with extra environment entries ("K=V").
ProcessResult run_adloom(const std::vector<std::string>& args,
                         const std::vector<std::string>& env = {});

// Runs `adloom <args…>` with its stderr on a pipe, reads stderr until a line containing
// `marker` has appeared, then sends `signal` (SIGKILL: a crash at a chosen point; SIGINT:
// Ctrl-C) and waits for the process to end. `marker_seen` is false when it exited first
// or `timeout_ms` passed (then it is SIGKILLed).
struct SignalledRun {
  bool marker_seen = false;
  ProcessResult result;  // exit_code is -signal when the signal ended it
};
SignalledRun run_adloom_until(const std::vector<std::string>& args, const std::string& marker,
                              int signal, int timeout_ms = 120000);

class ServerProcess {
 public:
  // `data_dir` must exist; `sets` are extra "--set k=v" values; `log_path` receives stderr.
  ServerProcess(std::string data_dir, std::vector<std::string> sets, std::string log_path);
  ~ServerProcess();  // SIGKILLs and reaps the process if still running
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Starts and waits (up to 30 s) for "adloom listening on http://…"; throws with the log
  // tail when the server exits or stays silent.
  void start();
  const std::string& url() const { return url_; }
  pid_t pid() const { return pid_; }
  // SIGKILL now and reap: the crash under test.
  void kill9();
  // SIGTERM and wait for exit (up to `timeout_ms`); returns the exit code (-1: timeout,
  // then SIGKILLed).
  int terminate(int timeout_ms = 30000);
  std::string log() const;

 private:
  std::string data_dir_;
  std::vector<std::string> sets_;
  std::string log_path_;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string url_;
};

}  // namespace adloom::testing
