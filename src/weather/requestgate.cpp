// SPDX-License-Identifier: MIT
#include "requestgate.h"

#include "cache/clock.h"
#include "weatherlogging.h"

#include <QDateTime>

#include <algorithm>

RequestGate::RequestGate(Clock *clock, int requestsPerMinute, const QString &providerName,
                         QObject *parent)
    : QObject(parent)
    , m_clock(clock ? clock : Clock::system())
    , m_requestsPerMinute(std::max(1, requestsPerMinute))
    , m_providerName(providerName)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &RequestGate::drain);
    connect(m_clock, &Clock::jumped, this, &RequestGate::drain);
}

void RequestGate::setRequestsPerMinute(int requests)
{
    m_requestsPerMinute = std::max(1, requests);
    drain();
}

void RequestGate::setMinimumIntervalMs(qint64 ms)
{
    m_minIntervalMs = std::clamp<qint64>(ms, 0, kWindowMs);
    drain();
}

void RequestGate::prune(qint64 now) const
{
    // Entries from "the future" mean the wall clock was set back: forget them.
    while (!m_sent.empty() && (now - m_sent.front() >= kWindowMs || m_sent.front() > now))
        m_sent.pop_front();
}

int RequestGate::sentInWindow() const
{
    prune(m_clock->now());
    return int(m_sent.size());
}

qint64 RequestGate::blockedUntil() const
{
    return m_blockedUntil > m_clock->now() ? m_blockedUntil : 0;
}

std::optional<WeatherError> RequestGate::blockedError() const
{
    const qint64 now = m_clock->now();
    if (m_blockedUntil <= now)
        return std::nullopt;
    WeatherError error(m_blockKind, m_providerName);
    error.setRetryAfter(int((m_blockedUntil - now + 999) / 1000));
    return error;
}

void RequestGate::setSharedBudget(SharedBudget *budget, const QString &providerId)
{
    if (m_shared)
        disconnect(m_shared, nullptr, this, nullptr);
    m_shared = budget;
    m_budgetId = providerId;
    ++m_ask; // an answer to the old budget's question is dropped
    m_asking = false;
    m_granted = 0;
    m_sharedRetryAt = 0;
    if (budget) {
        connect(budget, &SharedBudget::blockShared, this,
                [this](const QString &provider, qint64 untilMs) {
                    const qint64 now = m_clock->now();
                    if (provider != m_budgetId || untilMs <= now)
                        return;
                    qCInfo(lcWeather) << m_providerName << "rate limited on another machine;"
                                      << "holding requests for" << (untilMs - now) / 1000 << "s";
                    block(std::min(untilMs, now + qint64(kMaxBlockSeconds) * 1000),
                          WeatherError::RateLimited);
                });
    }
    drain();
}

void RequestGate::submit(QObject *context, SendFunction send, RejectFunction reject)
{
    if (const auto error = blockedError()) {
        if (reject)
            reject(*error);
        return;
    }
    m_queue.push_back(Pending{context, std::move(send), std::move(reject), m_clock->now()});
    drain();
}

void RequestGate::drain()
{
    // A shared budget may answer from inside acquire(), and a block drains too: one loop.
    if (m_draining) {
        m_drainAgain = true;
        return;
    }
    m_draining = true;
    do {
        m_drainAgain = false;
        drainOnce();
    } while (m_drainAgain);
    m_draining = false;
    scheduleDrain();
}

void RequestGate::drainOnce()
{
    const qint64 now = m_clock->now();
    prune(now);
    if (m_asking && now >= m_askDeadline) {
        // The shared budget is too slow to ask: this request goes on the local budget.
        qCDebug(lcWeather) << m_providerName << "shared budget did not answer in time";
        ++m_ask;
        m_asking = false;
        ++m_granted;
        ++m_localFallbacks;
    }
    while (!m_queue.empty()) {
        Pending pending = std::move(m_queue.front());
        if (!pending.context) {
            m_queue.pop_front();
            continue;
        }
        if (const auto error = blockedError()) {
            m_queue.pop_front();
            if (pending.reject)
                pending.reject(*error);
            continue;
        }
        if (int(m_sent.size()) >= m_requestsPerMinute
            || (m_minIntervalMs > 0 && !m_sent.empty() && now - m_sent.back() < m_minIntervalMs)) {
            m_queue.front() = std::move(pending);
            break;
        }
        if (m_shared && m_granted == 0
            && (now - pending.queuedAt >= kMaxSharedWaitMs || now < pending.queuedAt)) {
            // This request waited long enough on the other machines (or on answers that make
            // no sense): it goes on the local budget. Measured from its own submission, not
            // from the last grant, so a grant that lets an older request go does not start
            // the wait of the ones behind it over again.
            qCInfo(lcWeather) << m_providerName << "waited" << kMaxSharedWaitMs / 1000
                              << "s for the shared budget; using the local one";
            ++m_ask;
            m_asking = false;
            m_sharedRetryAt = 0;
            ++m_granted;
            ++m_localFallbacks;
        }
        if (m_shared && m_granted == 0) {
            m_queue.front() = std::move(pending);
            if (m_asking || now < m_sharedRetryAt)
                break;
            askShared(); // may answer at once: look again
            continue;
        }
        m_queue.pop_front();
        if (m_shared)
            --m_granted;
        m_sent.push_back(now);
        if (pending.send)
            pending.send();
    }
    // A slot taken for a request that went away is not kept for one much later.
    if (m_queue.empty())
        m_granted = 0;
}

void RequestGate::askShared()
{
    const qint64 now = m_clock->now();
    m_asking = true;
    m_askDeadline = now + kSharedAnswerTimeoutMs;
    const quint64 ask = ++m_ask;
    QPointer<RequestGate> self(this);
    m_shared->acquire(m_budgetId, m_requestsPerMinute, now,
                      [self, ask](const SharedBudget::Decision &decision) {
                          if (self)
                              self->onSharedAnswer(ask, decision);
                      });
}

void RequestGate::onSharedAnswer(quint64 ask, const SharedBudget::Decision &decision)
{
    if (ask != m_ask || !m_asking)
        return; // given up on, or asked of another budget
    m_asking = false;
    const qint64 now = m_clock->now();
    using Verdict = SharedBudget::Decision::Verdict;
    switch (decision.verdict) {
    case Verdict::Granted:
        ++m_granted;
        ++m_sharedGrants;
        break;
    case Verdict::Wait:
        // Paced (no spinning, whatever the answer said), never beyond one window.
        m_sharedRetryAt = std::clamp(decision.untilMs, now + kSharedRetryMinMs, now + kWindowMs);
        qCDebug(lcWeather) << m_providerName << "shared request budget used up; waiting"
                           << m_sharedRetryAt - now << "ms";
        break;
    case Verdict::Blocked:
        if (decision.untilMs <= now) {
            // A block that is already over (or a nonsense time): ask again, paced.
            m_sharedRetryAt = now + kSharedRetryMinMs;
            break;
        }
        block(std::min(decision.untilMs, now + qint64(kMaxBlockSeconds) * 1000),
              WeatherError::RateLimited);
        break;
    case Verdict::Unavailable:
        qCDebug(lcWeather).noquote()
            << m_providerName
            << "shared budget unavailable, using the local one:" << decision.reason;
        ++m_granted;
        ++m_localFallbacks;
        break;
    }
    drain();
}

void RequestGate::scheduleDrain()
{
    if (m_queue.empty()) {
        m_timer.stop();
        return;
    }
    const qint64 now = m_clock->now();
    qint64 wait = 0;
    if (int(m_sent.size()) >= m_requestsPerMinute) {
        wait = m_sent.empty() ? 0 : std::max<qint64>(0, m_sent.front() + kWindowMs - now);
        qCDebug(lcWeather) << m_providerName << "request budget used up;" << m_queue.size()
                           << "request(s) wait" << wait << "ms";
    } else if (m_minIntervalMs > 0 && !m_sent.empty() && now - m_sent.back() < m_minIntervalMs) {
        wait = m_sent.back() + m_minIntervalMs - now;
    } else if (m_asking) {
        wait = std::max<qint64>(0, m_askDeadline - now);
    } else if (m_sharedRetryAt > now) {
        wait = m_sharedRetryAt - now;
        wait = std::min(wait,
                        std::max<qint64>(0, m_queue.front().queuedAt + kMaxSharedWaitMs - now));
    }
    m_timer.start(int(std::min<qint64>(wait, kWindowMs)));
}

void RequestGate::block(qint64 untilMs, WeatherError::Kind kind)
{
    if (untilMs <= m_blockedUntil && m_blockKind == WeatherError::RateLimited)
        return; // never shorten a rate-limit block
    m_blockedUntil = untilMs;
    m_blockKind = kind;
    // Queued requests must not go out while blocked: fail them now.
    drain();
}

void RequestGate::reportSuccess()
{
    m_consecutiveServerErrors = 0;
    if (m_blockKind == WeatherError::ServerError) {
        m_blockedUntil = 0;
        m_blockKind = WeatherError::None;
    }
}

void RequestGate::reportRateLimited(int retryAfterSeconds)
{
    const int seconds = retryAfterSeconds < 0 ? kDefaultRetryAfterSeconds
                                              : std::min(retryAfterSeconds, kMaxBlockSeconds);
    qCInfo(lcWeather) << m_providerName << "rate limited; holding requests for" << seconds << "s";
    const qint64 now = m_clock->now();
    const qint64 until = now + qint64(seconds) * 1000;
    block(until, WeatherError::RateLimited);
    // Every machine holds back, not only this one: they share the provider's limit.
    if (m_shared)
        m_shared->shareBlock(m_budgetId, until, now);
}

void RequestGate::reportServerError(int retryAfterSeconds)
{
    ++m_consecutiveServerErrors;
    const int exponent = std::min(m_consecutiveServerErrors - 1, 16);
    // The server knows best how long it needs; our own backoff is for when it does not say.
    const int seconds = retryAfterSeconds >= 0
                            ? std::min(retryAfterSeconds, kMaxBlockSeconds)
                            : std::min(kInitialBackoffSeconds << exponent, kMaxBackoffSeconds);
    qCInfo(lcWeather) << m_providerName << "server error; backing off for" << seconds << "s";
    const qint64 until = m_clock->now() + qint64(seconds) * 1000;
    if (m_blockKind == WeatherError::RateLimited && m_blockedUntil > until)
        return;
    m_blockedUntil = until;
    m_blockKind = WeatherError::ServerError;
    drain();
}

int RequestGate::parseRetryAfter(const QByteArray &header, qint64 nowMs)
{
    const QByteArray trimmed = header.trimmed();
    if (trimmed.isEmpty())
        return -1;
    if (std::all_of(trimmed.cbegin(), trimmed.cend(),
                    [](char c) { return c >= '0' && c <= '9'; })) {
        // Digits only is delta-seconds, however many: too many for qlonglong is "very long".
        bool ok = false;
        const qlonglong seconds = trimmed.toLongLong(&ok);
        return ok ? int(std::min<qlonglong>(seconds, kMaxRetryAfterSeconds))
                  : kMaxRetryAfterSeconds;
    }
    if (trimmed.startsWith('-'))
        return -1;
    // HTTP sends IMF-fixdate ("... 07:28:00 GMT"); Qt's RFC 2822 parser wants a numeric zone.
    QString text = QString::fromLatin1(trimmed);
    if (text.endsWith(u" GMT") || text.endsWith(u" UTC"))
        text = text.left(text.size() - 3) + u"+0000";
    const QDateTime date = QDateTime::fromString(text, Qt::RFC2822Date);
    if (!date.isValid())
        return -1;
    const qint64 deltaMs = date.toMSecsSinceEpoch() - nowMs;
    if (deltaMs <= 0)
        return 0;
    return int(std::min<qint64>((deltaMs + 999) / 1000, kMaxRetryAfterSeconds));
}
