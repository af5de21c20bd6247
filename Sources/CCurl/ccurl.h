// CCurl: libcurl for Swift.
//
// curl_easy_setopt and curl_easy_getinfo are C varargs functions (plus GCC type-check
// macros), which Swift does not import. The static inline wrappers below give each argument
// type its own typed entry point; Swift's Clang importer compiles them, so this module stays
// header-only. Only the MailTransport module imports CCurl.
#ifndef CCURL_H
#define CCURL_H

#include <curl/curl.h>

// MARK: - curl_easy_setopt

static inline CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_setopt_off(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

/// libcurl copies string options (except CURLOPT_POSTFIELDS, which we do not use); NULL
/// restores the default.
static inline CURLcode ccurl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

/// The list is NOT copied: keep it alive until the transfer is done.
static inline CURLcode ccurl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

/// For CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION.
static inline CURLcode ccurl_setopt_write_callback(CURL *handle, CURLoption option,
                                                   curl_write_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

static inline CURLcode ccurl_setopt_read_callback(CURL *handle, curl_read_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_READFUNCTION, callback);
}

static inline CURLcode ccurl_setopt_xferinfo_callback(CURL *handle, curl_xferinfo_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}

// MARK: - curl_easy_getinfo

static inline CURLcode ccurl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode ccurl_getinfo_off(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode ccurl_getinfo_socket(CURL *handle, CURLINFO info, curl_socket_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

/// The string belongs to the handle; copy it before the next call on the handle.
static inline CURLcode ccurl_getinfo_string(CURL *handle, CURLINFO info, const char **value) {
    return curl_easy_getinfo(handle, info, value);
}

// MARK: - Versions and spellings

/// CURLVERSION_NOW is an enum alias macro that Swift cannot import.
static inline curl_version_info_data *ccurl_version_info(void) {
    return curl_version_info(CURLVERSION_NOW);
}

/// The version of the headers this module was compiled against (LIBCURL_VERSION_NUM).
static const unsigned int CCURL_HEADER_VERSION_NUM = LIBCURL_VERSION_NUM;

/// Option 290, "continue with the accepted recipients when some RCPT TO fail". libcurl before
/// 8.2.0 spells it with three Ls (CURLOPT_MAIL_RCPT_ALLLOWFAILS); 8.2.0 renamed it.
#if LIBCURL_VERSION_NUM >= 0x080200
static const CURLoption CCURLOPT_MAIL_RCPT_ALLOWFAILS = CURLOPT_MAIL_RCPT_ALLOWFAILS;
#else
static const CURLoption CCURLOPT_MAIL_RCPT_ALLOWFAILS = CURLOPT_MAIL_RCPT_ALLLOWFAILS;
#endif

/// CURL_WRITEFUNC_ERROR exists from 7.87.0; returning any other count also fails the write.
#ifdef CURL_WRITEFUNC_ERROR
static const size_t CCURL_WRITEFUNC_ERROR = CURL_WRITEFUNC_ERROR;
#else
static const size_t CCURL_WRITEFUNC_ERROR = 0xFFFFFFFF;
#endif

static const size_t CCURL_READFUNC_ABORT = CURL_READFUNC_ABORT;
static const long CCURL_ERROR_SIZE = CURL_ERROR_SIZE;

#endif
