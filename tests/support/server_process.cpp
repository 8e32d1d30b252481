#include "support/server_process.h"

#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <signal.h>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

#include <sys/syscall.h>
#include <sys/wait.h>

#include "support/temp_dir.h"

extern char** environ;

namespace adloom::testing {
namespace {

std::vector<char*> to_argv(std::vector<std::string>& args) {
  std::vector<char*> out;
  for (auto& a : args) out.push_back(a.data());
  out.push_back(nullptr);
  return out;
}

// Environment of this process plus `extra`, with TSAN/ASAN options passed through.
std::vector<std::string> make_env(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "ADLOOM_", 7) == 0) continue;  // tests set what they mean
    env.emplace_back(*e);
  }
  for (const auto& e : extra) env.push_back(e);
  return env;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return -1;
}

// Waits for `pid` up to `timeout_ms` without sleeping in a loop: a pidfd would be ideal,
// but glibc 2.36 has pidfd_open only via syscall; poll on it.
bool wait_exit(pid_t pid, int timeout_ms, int& status) {
  int fd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (fd >= 0) {
    pollfd p{fd, POLLIN, 0};
    poll(&p, 1, timeout_ms);
    close(fd);
  }
  return waitpid(pid, &status, WNOHANG) == pid;
}

}  // namespace

ProcessResult run_adloom(const std::vector<std::string>& args,
                         const std::vector<std::string>& env) {
  TempDir tmp;
  std::string out_path = tmp.str() + "/out";
  std::string err_path = tmp.str() + "/err";
  std::vector<std::string> argv{ADLOOM_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  auto envs = make_env(env);
  pid_t pid = fork();
  if (pid == 0) {
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    dup2(out, 1);
    dup2(err, 2);
    auto a = to_argv(argv);
    auto e = to_argv(envs);
    execve(a[0], a.data(), e.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return ProcessResult{decode_status(status), read_file(out_path), read_file(err_path)};
}

SignalledRun run_adloom_until(const std::vector<std::string>& args, const std::string& marker,
                              int signal, int timeout_ms) {
  TempDir tmp;
  const std::string out_path = tmp.str() + "/out";
  std::vector<std::string> argv{ADLOOM_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  auto envs = make_env({});
  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = fork();
  if (pid == 0) {
    int devnull = open("/dev/null", O_RDONLY);
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(devnull, 0);
    dup2(out, 1);
    dup2(pipefd[1], 2);
    auto a = to_argv(argv);
    auto e = to_argv(envs);
    execve(a[0], a.data(), e.data());
    _exit(127);
  }
  close(pipefd[1]);
  SignalledRun run;
  std::string& err = run.result.err;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  bool open_pipe = true;
  while (open_pipe) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    pollfd p{pipefd[0], POLLIN, 0};
    if (left <= 0 || poll(&p, 1, static_cast<int>(left)) <= 0) {
      ::kill(pid, SIGKILL);  // timed out
      break;
    }
    char buf[4096];
    const ssize_t n = read(pipefd[0], buf, sizeof(buf));
    if (n <= 0) {
      open_pipe = false;  // exited
      break;
    }
    err.append(buf, static_cast<std::size_t>(n));
    if (!run.marker_seen && err.find(marker) != std::string::npos) {
      run.marker_seen = true;
      ::kill(pid, signal);
    }
  }
  // After the signal: the rest of stderr until the process closes it.
  while (open_pipe) {
    char buf[4096];
    const ssize_t n = read(pipefd[0], buf, sizeof(buf));
    if (n <= 0) break;
    err.append(buf, static_cast<std::size_t>(n));
  }
  int status = 0;
  waitpid(pid, &status, 0);
  close(pipefd[0]);
  run.result.exit_code = decode_status(status);
  run.result.out = read_file(out_path);
  return run;
}

ServerProcess::ServerProcess(std::string data_dir, std::vector<std::string> sets,
                             std::string log_path)
    : data_dir_(std::move(data_dir)), sets_(std::move(sets)), log_path_(std::move(log_path)) {}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) kill9();
  if (stdout_fd_ >= 0) close(stdout_fd_);
}

void ServerProcess::start() {
  std::vector<std::string> argv{ADLOOM_BINARY, "--set", "data_dir=" + data_dir_, "--set",
                                "server.port=0"};
  for (const auto& s : sets_) {
    argv.emplace_back("--set");
    argv.push_back(s);
  }
  argv.emplace_back("serve");
  auto envs = make_env({});
  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  pid_ = fork();
  if (pid_ == 0) {
    int err = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    dup2(pipefd[1], 1);
    dup2(err, 2);
    auto a = to_argv(argv);
    auto e = to_argv(envs);
    execve(a[0], a.data(), e.data());
    _exit(127);
  }
  close(pipefd[1]);
  stdout_fd_ = pipefd[0];
  std::string line;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (line.find('\n') == std::string::npos) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    pollfd p{stdout_fd_, POLLIN, 0};
    if (left <= 0 || poll(&p, 1, static_cast<int>(left)) <= 0) {
      throw std::runtime_error("server did not report its port in 30 s; log:\n" + log());
    }
    char buf[256];
    ssize_t n = read(stdout_fd_, buf, sizeof(buf));
    if (n <= 0) throw std::runtime_error("server exited before listening; log:\n" + log());
    line.append(buf, static_cast<std::size_t>(n));
  }
  const std::string marker = "listening on ";
  auto at = line.find(marker);
  if (at == std::string::npos) throw std::runtime_error("unexpected server output: " + line);
  url_ = line.substr(at + marker.size(), line.find('\n') - at - marker.size());
}

void ServerProcess::kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

int ServerProcess::terminate(int timeout_ms) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  if (!wait_exit(pid_, timeout_ms, status)) {
    kill9();
    return -1;
  }
  pid_ = -1;
  return decode_status(status);
}

std::string ServerProcess::log() const {
  return read_file(log_path_);
}

}  // namespace adloom::testing
