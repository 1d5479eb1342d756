/* net_opts.c - parsing of the --net option. The input comes from the command
 * line: every part is length-checked and every error names the part at
 * fault. No strtok (hidden state): the string is walked with (pointer,
 * length) pairs. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "host/net_opts.h"

/* a piece of the option string */
struct span {
	const char *p;
	size_t len;
};

static int fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static bool span_is(struct span s, const char *lit)
{
	return s.len == strlen(lit) && memcmp(s.p, lit, s.len) == 0;
}

/* split s at the first c: head before it, s after it; false if no c */
static bool span_split(struct span *s, char c, struct span *head)
{
	const char *q = memchr(s->p, c, s->len);

	if (!q)
		return false;
	head->p = s->p;
	head->len = (size_t)(q - s->p);
	s->len -= head->len + 1;
	s->p = q + 1;
	return true;
}

/* decimal 1..65535, digits only (no sign, no spaces) */
static bool parse_port(struct span s, uint16_t *port)
{
	unsigned v = 0;

	if (s.len == 0 || s.len > 5)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return false;
		v = v * 10 + (unsigned)(s.p[i] - '0');
	}
	if (v == 0 || v > 65535)
		return false;
	*port = (uint16_t)v;
	return true;
}

/* dotted-quad IPv4 address */
static bool parse_ipv4(struct span s, struct in_addr *a)
{
	char buf[INET_ADDRSTRLEN];

	if (s.len == 0 || s.len >= sizeof(buf))
		return false;
	memcpy(buf, s.p, s.len);
	buf[s.len] = 0;
	return inet_pton(AF_INET, buf, a) == 1;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int parse_mac(struct span v, struct net_config *cfg, char *err, size_t errlen)
{
	int n = (int)(v.len > 64 ? 64 : v.len);

	if (cfg->mac_set)
		return fail(err, errlen, "mac given twice");
	if (v.len != 17)
		goto bad;
	for (int i = 0; i < 6; i++) {
		int hi = hexval(v.p[3 * i]), lo = hexval(v.p[3 * i + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && v.p[3 * i + 2] != ':'))
			goto bad;
		cfg->mac[i] = (uint8_t)(hi << 4 | lo);
	}
	if (cfg->mac[0] & 1)
		return fail(err, errlen, "mac '%.*s' is a multicast address (the first byte must be even)",
			    n, v.p);
	if (!(cfg->mac[0] | cfg->mac[1] | cfg->mac[2] | cfg->mac[3] | cfg->mac[4] | cfg->mac[5]))
		return fail(err, errlen, "mac '%.*s' is all zeros", n, v.p);
	cfg->mac_set = true;
	return 0;
bad:
	return fail(err, errlen, "mac '%.*s' is not six hex bytes like 52:54:00:12:34:56", n, v.p);
}

/* Linux's dev_valid_name(): 1..15 bytes, not "." or "..", no '/', ':' or
 * white space */
static int parse_ifname(struct span v, struct net_config *cfg, char *err, size_t errlen)
{
	int n = (int)(v.len > 64 ? 64 : v.len);

	if (cfg->ifname[0])
		return fail(err, errlen, "ifname given twice");
	if (v.len == 0)
		return fail(err, errlen, "ifname is empty");
	if (v.len >= sizeof(cfg->ifname))
		return fail(err, errlen, "ifname '%.*s' is longer than %zu characters", n, v.p,
			    sizeof(cfg->ifname) - 1);
	if (span_is(v, ".") || span_is(v, ".."))
		goto bad;
	for (size_t i = 0; i < v.len; i++) {
		unsigned char c = (unsigned char)v.p[i];

		if (c == '/' || c == ':' || c <= ' ' || c == 0x7f)
			goto bad;
	}
	memcpy(cfg->ifname, v.p, v.len);
	cfg->ifname[v.len] = 0;
	return 0;
bad:
	return fail(err, errlen, "ifname '%.*s' is not a valid interface name", n, v.p);
}

/* [tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport */
static int parse_hostfwd(struct span v, struct net_config *cfg, char *err, size_t errlen)
{
	int n = (int)(v.len > 80 ? 80 : v.len);
	struct span rest = v, proto, haddr, hport, gaddr;
	struct net_hostfwd fwd = { 0 };
	struct in_addr guest;

	if (cfg->nr_hostfwd >= NET_MAX_HOSTFWD)
		return fail(err, errlen, "too many hostfwd options (at most %d)", NET_MAX_HOSTFWD);
	if (!span_split(&rest, ':', &proto) || !span_split(&rest, ':', &haddr) ||
	    !span_split(&rest, '-', &hport) || !span_split(&rest, ':', &gaddr))
		return fail(err, errlen,
			    "hostfwd '%.*s' is not [tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport",
			    n, v.p);
	/* rest is the guest port */
	if (proto.len == 0 || span_is(proto, "tcp"))
		fwd.udp = false;
	else if (span_is(proto, "udp"))
		fwd.udp = true;
	else
		return fail(err, errlen, "hostfwd '%.*s': protocol '%.*s' is not tcp or udp", n, v.p,
			    (int)proto.len, proto.p);
	if (haddr.len == 0)
		fwd.host_addr.s_addr = htonl(INADDR_LOOPBACK);
	else if (!parse_ipv4(haddr, &fwd.host_addr))
		return fail(err, errlen, "hostfwd '%.*s': host address '%.*s' is not an IPv4 address",
			    n, v.p, (int)haddr.len, haddr.p);
	if (!parse_port(hport, &fwd.host_port))
		return fail(err, errlen, "hostfwd '%.*s': host port '%.*s' is not a number in 1-65535",
			    n, v.p, (int)hport.len, hport.p);
	if (gaddr.len && (!parse_ipv4(gaddr, &guest) || guest.s_addr != htonl(0x0a00020f)))
		return fail(err, errlen,
			    "hostfwd '%.*s': guest address '%.*s' is not supported (forwards go to 10.0.2.15)",
			    n, v.p, (int)gaddr.len, gaddr.p);
	if (!parse_port(rest, &fwd.guest_port))
		return fail(err, errlen, "hostfwd '%.*s': guest port '%.*s' is not a number in 1-65535",
			    n, v.p, (int)rest.len, rest.p);
	for (int i = 0; i < cfg->nr_hostfwd; i++) {
		const struct net_hostfwd *o = &cfg->hostfwd[i];

		if (o->udp == fwd.udp && o->host_port == fwd.host_port &&
		    o->host_addr.s_addr == fwd.host_addr.s_addr)
			return fail(err, errlen, "hostfwd '%.*s': %s host port %u is forwarded twice", n,
				    v.p, fwd.udp ? "udp" : "tcp", fwd.host_port);
	}
	cfg->hostfwd[cfg->nr_hostfwd++] = fwd;
	return 0;
}

int net_parse_option(const char *s, struct net_config *out, char *err, size_t errlen)
{
	struct net_config cfg;
	struct span rest, kind;
	const char *kname;
	int ret;

	if (err && errlen)
		err[0] = 0;
	memset(&cfg, 0, sizeof(cfg));
	if (!s || !*s)
		return fail(err, errlen, "empty network option (expected user or tap)");
	rest = (struct span){ s, strlen(s) };
	if (!span_split(&rest, ',', &kind)) {
		kind = rest;
		rest.len = 0;
		rest.p = NULL;
	} else if (rest.len == 0) {
		return fail(err, errlen, "empty option after '%.*s,'", (int)kind.len, kind.p);
	}
	if (span_is(kind, "user")) {
		cfg.kind = NET_USER;
		kname = "user";
	} else if (span_is(kind, "tap")) {
		cfg.kind = NET_TAP;
		kname = "tap";
	} else {
		return fail(err, errlen, "unknown network back end '%.*s' (expected user or tap)",
			    (int)(kind.len > 64 ? 64 : kind.len), kind.p);
	}

	while (rest.p) {
		struct span opt, key;

		if (!span_split(&rest, ',', &opt)) {
			opt = rest;
			rest.p = NULL;
		}
		if (opt.len == 0)
			return fail(err, errlen, "empty option in '%s'", s);
		if (!span_split(&opt, '=', &key))
			return fail(err, errlen, "option '%.*s' needs a value (key=value)",
				    (int)(opt.len > 64 ? 64 : opt.len), opt.p);
		/* opt is now the value */
		if (span_is(key, "mac")) {
			ret = parse_mac(opt, &cfg, err, errlen);
		} else if (span_is(key, "hostfwd")) {
			if (cfg.kind != NET_USER)
				return fail(err, errlen, "hostfwd is only for user networking");
			ret = parse_hostfwd(opt, &cfg, err, errlen);
		} else if (span_is(key, "ifname")) {
			if (cfg.kind != NET_TAP)
				return fail(err, errlen, "ifname is only for tap networking");
			ret = parse_ifname(opt, &cfg, err, errlen);
		} else {
			return fail(err, errlen, "unknown option '%.*s' for %s networking",
				    (int)(key.len > 64 ? 64 : key.len), key.p, kname);
		}
		if (ret)
			return ret;
	}
	if (cfg.kind == NET_TAP && !cfg.ifname[0])
		return fail(err, errlen, "tap needs ifname=NAME");
	*out = cfg;
	return 0;
}
