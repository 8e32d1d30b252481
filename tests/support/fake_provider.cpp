#include "support/fake_provider.h"

#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

#include <sys/syscall.h>
#include <sys/wait.h>

#include "support/http_client.h"

extern char** environ;

namespace adloom::testing {
namespace {

std::string source_dir() {
#ifdef ADLOOM_SOURCE_DIR
  return ADLOOM_SOURCE_DIR;
#else
  throw std::runtime_error(
      "FakeProvider needs the compile definition ADLOOM_SOURCE_DIR (the repository root)");
#endif
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Waits for `pid` to exit, up to `timeout_ms`, on a pidfd (no sleeping loop).
bool wait_exit(pid_t pid, int timeout_ms) {
  const int fd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (fd >= 0) {
    pollfd p{fd, POLLIN, 0};
    poll(&p, 1, timeout_ms);
    close(fd);
  }
  int status = 0;
  return waitpid(pid, &status, WNOHANG) == pid;
}

// Owns a file descriptor.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

}  // namespace

std::string FakeProvider::fakes_dir() {
  return source_dir() + "/tests/fakes";
}

FakeProvider::FakeProvider(const std::string& provider, std::vector<std::string> extra_args)
    : log_path_(dir_.str() + "/fake.log") {
  std::vector<std::string> args{
      "node", fakes_dir() + "/server.mjs", "--provider", provider, "--port", "0"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  Fd read_end{pipefd[0]};
  Fd write_end{pipefd[1]};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, write_end.fd, 1);
  posix_spawn_file_actions_addopen(&actions, 2, log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  const int rc = posix_spawnp(&pid_, "node", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start node: " + std::string(strerror(rc)));
  close(write_end.fd);
  write_end.fd = -1;

  // Stops the child before the constructor throws: no destructor will run.
  const auto fail = [&](const std::string& what) {
    ::kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
    throw std::runtime_error("the fake " + provider + " " + what + "; stderr:\n" + log());
  };
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (out.find('\n') == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    pollfd p{read_end.fd, POLLIN, 0};
    if (left <= 0 || poll(&p, 1, static_cast<int>(left)) <= 0) fail("did not start in 20 s");
    char buf[256];
    const ssize_t n = read(read_end.fd, buf, sizeof(buf));
    if (n <= 0) fail("exited before listening");
    out.append(buf, static_cast<std::size_t>(n));
  }
  const std::string marker = "listening on ";
  const auto at = out.find(marker);
  if (at == std::string::npos) fail("printed something unexpected: " + out);
  url_ = out.substr(at + marker.size(), out.find('\n', at) - at - marker.size());
}

FakeProvider::~FakeProvider() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  if (!wait_exit(pid_, 5000)) {
    ::kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

void FakeProvider::set_fault(const nlohmann::json& fault) {
  HttpClient admin(url_);
  const auto r = admin.post_json("/_fake/faults", fault);
  if (r.status != 200) {
    throw std::runtime_error("the fake refused the fault " + fault.dump() + ": " + r.body +
                             r.error);
  }
}

nlohmann::json FakeProvider::requests() {
  HttpClient admin(url_);
  const auto r = admin.get("/_fake/requests");
  if (r.status != 200) throw std::runtime_error("GET /_fake/requests failed: " + r.body + r.error);
  return r.json().at("requests");
}

void FakeProvider::reset() {
  HttpClient admin(url_);
  const auto r = admin.post_json("/_fake/reset", nlohmann::json::object());
  if (r.status != 200) throw std::runtime_error("POST /_fake/reset failed: " + r.body + r.error);
}

std::string FakeProvider::log() const {
  return read_file(log_path_);
}

}  // namespace adloom::testing
