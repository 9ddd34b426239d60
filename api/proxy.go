package api

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Proxies: X-Forwarded-Proto, -Host and -Prefix (which absolute links
// follow) and X-Forwarded-For (which rate limiting counts by) are
// believed only from a peer inside a trusted network; from anyone else
// they are dropped before any handler sees them.

// trustedProxies is the networks whose forwarding headers are believed;
// empty, none are.
type trustedProxies []netip.Prefix

func (tp trustedProxies) contains(ip netip.Addr) bool {
	ip = ip.Unmap()
	for _, p := range tp {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// peerIP is the address of the request's immediate peer.
func peerIP(r *http.Request) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, false
	}
	return ip.Unmap().WithZone(""), true
}

// trusted reports whether the request came straight from a trusted proxy.
func (tp trustedProxies) trusted(r *http.Request) bool {
	ip, ok := peerIP(r)
	return ok && len(tp) > 0 && tp.contains(ip)
}

// clientIP is the address a request is counted by: the peer's, or behind
// trusted proxies the nearest address in X-Forwarded-For that is not one
// of them (the farthest one given when all are).
func (tp trustedProxies) clientIP(r *http.Request) (netip.Addr, bool) {
	ip, ok := peerIP(r)
	if !ok || len(tp) == 0 || !tp.contains(ip) {
		return ip, ok
	}
	var hops []string
	for _, h := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(h, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // a hop we cannot read: stop at the last one we could
		}
		ip = hop.Unmap().WithZone("")
		if !tp.contains(ip) {
			break
		}
	}
	return ip, true
}

var forwardedHeaders = []string{"X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Prefix"}

// dropForwarded removes the forwarding headers from requests that did
// not come from a trusted proxy, so that baseURL sees only believed ones.
func (s *Server) dropForwarded(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.proxies.trusted(r) {
			present := false
			for _, h := range forwardedHeaders {
				present = present || r.Header.Get(h) != ""
			}
			if present {
				r = r.Clone(r.Context())
				for _, h := range forwardedHeaders {
					r.Header.Del(h)
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// validHost reports whether a forwarded host can stand in a URL as its
// authority: no spaces, quotes, angle brackets, controls or characters
// that would end the authority.
func validHost(h string) bool {
	if h == "" || len(h) > 255 {
		return false
	}
	for _, c := range h {
		if c <= ' ' || c == 0x7f || strings.ContainsRune("\"'<>`\\/?#@{}|^%", c) || c > 0x7e {
			return false
		}
	}
	return true
}

// validPrefix reports whether a forwarded prefix is a plain path.
func validPrefix(p string) bool {
	if strings.HasPrefix(p, "//") || len(p) > 255 {
		return false
	}
	for _, c := range p {
		if c <= ' ' || c == 0x7f || strings.ContainsRune("\"'<>`\\?#{}|^", c) || c > 0x7e {
			return false
		}
	}
	return true
}
