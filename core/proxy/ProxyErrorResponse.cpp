// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/ProxyErrorResponse.h"

namespace wsi::ProxyErrorResponse {
namespace {

QByteArray phrase(int status)
{
    switch (status) {
    case 400:
        return "Bad Request";
    case 408:
        return "Request Timeout";
    case 431:
        return "Request Header Fields Too Large";
    case 502:
        return "Bad Gateway";
    case 504:
        return "Gateway Timeout";
    default:
        return "Error";
    }
}

} // namespace

QByteArray make(int status, const QString &reason)
{
    const QByteArray body = reason.toUtf8() + '\n';
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + phrase(status) +
           "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " + QByteArray::number(body.size()) +
           "\r\nConnection: close\r\n\r\n" + body;
}

} // namespace wsi::ProxyErrorResponse
