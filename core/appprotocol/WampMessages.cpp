// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/WampMessages.h"

#include "core/appprotocol/PayloadJson.h"

namespace wsi {

QByteArray WampMessages::hello(const QString &realm)
{
    // autobahn 26.3.1 lib/session.js, key order as it sends them.
    return "[1," + PayloadJson::quoted(realm) +
           ",{\"roles\":{\"caller\":{\"features\":{\"caller_identification\":true,\"call_canceling\":true,"
           "\"progressive_call_results\":true}},\"callee\":{\"features\":{\"caller_identification\":true,"
           "\"pattern_based_registration\":true,\"shared_registration\":true,\"progressive_call_results\":true,"
           "\"registration_revocation\":true}},\"publisher\":{\"features\":{\"publisher_identification\":true,"
           "\"subscriber_blackwhite_listing\":true,\"publisher_exclusion\":true}},\"subscriber\":{\"features\":{"
           "\"publisher_identification\":true,\"pattern_based_subscription\":true,\"subscription_revocation\":true}}}"
           "}]";
}

QByteArray WampMessages::subscribe(quint64 request, const QString &topic)
{
    return "[32," + QByteArray::number(request) + ",{}," + PayloadJson::quoted(topic) + ']';
}

QByteArray WampMessages::call(quint64 request, const QString &procedure, const QList<QByteArray> &arguments)
{
    QByteArray out = "[48," + QByteArray::number(request) + ",{}," + PayloadJson::quoted(procedure);
    if (!arguments.isEmpty())
        out += ",[" + arguments.join(',') + ']';
    return out + ']';
}

QByteArray WampMessages::goodbyeAndOut()
{
    return QByteArrayLiteral("[6,{},\"wamp.close.goodbye_and_out\"]");
}

} // namespace wsi
