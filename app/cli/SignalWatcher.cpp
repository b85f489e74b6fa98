// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/SignalWatcher.h"

#include <QSocketNotifier>

#include <atomic>
#include <csignal>

#if defined(Q_OS_UNIX)
#include <cerrno>
#include <fcntl.h>
#include <unistd.h>
#elif defined(Q_OS_WIN)
#include <qt_windows.h>
#endif

namespace wsi::cli {
namespace {

#if defined(Q_OS_UNIX)

int signalPipe[2] = {-1, -1};

void onSignal(int signalNumber)
{
    const int savedErrno = errno; // the interrupted code may be about to read errno
    const char byte = static_cast<char>(signalNumber);
    // Nothing to do when the pipe is full: a signal is already waiting to be handled.
    [[maybe_unused]] const auto written = ::write(signalPipe[1], &byte, 1);
    errno = savedErrno;
}

void installHandler(int signalNumber, void (*handler)(int))
{
    struct sigaction action = {};
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(signalNumber, &action, nullptr);
}

#elif defined(Q_OS_WIN)

std::atomic<SignalWatcher *> currentWatcher{nullptr};

// Runs on a thread of its own that Windows creates for the console event: hand over to the watcher's thread.
BOOL WINAPI onConsoleEvent(DWORD type)
{
    if (type != CTRL_C_EVENT && type != CTRL_BREAK_EVENT)
        return FALSE;
    SignalWatcher *watcher = currentWatcher.load();
    if (!watcher)
        return FALSE;
    QMetaObject::invokeMethod(
        watcher, [watcher] { Q_EMIT watcher->terminationRequested(SIGINT); }, Qt::QueuedConnection);
    return TRUE;
}

#endif

} // namespace

SignalWatcher::SignalWatcher(QObject *parent)
    : QObject(parent)
{
#if defined(Q_OS_UNIX)
    if (::pipe(signalPipe) != 0)
        return; // no orderly shutdown then, but the default handlers still end the process
    for (int fd : signalPipe) {
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
        ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
    m_notifier = new QSocketNotifier(signalPipe[0], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &SignalWatcher::onPipeReadable);
    installHandler(SIGINT, onSignal);
    installHandler(SIGTERM, onSignal);
#elif defined(Q_OS_WIN)
    currentWatcher.store(this);
    SetConsoleCtrlHandler(onConsoleEvent, TRUE);
#endif
}

SignalWatcher::~SignalWatcher()
{
#if defined(Q_OS_UNIX)
    if (!m_notifier)
        return;
    installHandler(SIGINT, SIG_DFL);
    installHandler(SIGTERM, SIG_DFL);
    delete m_notifier;
    m_notifier = nullptr;
    for (int &fd : signalPipe) {
        ::close(fd);
        fd = -1;
    }
#elif defined(Q_OS_WIN)
    SetConsoleCtrlHandler(onConsoleEvent, FALSE);
    currentWatcher.store(nullptr);
#endif
}

void SignalWatcher::onPipeReadable()
{
#if defined(Q_OS_UNIX)
    char bytes[16];
    const auto n = ::read(signalPipe[0], bytes, sizeof bytes);
    for (qsizetype i = 0; i < n; ++i)
        Q_EMIT terminationRequested(int(bytes[i]));
#endif
}

} // namespace wsi::cli
