package provider

import (
	"net"
	"strings"
)

// isLoopback reports whether host names this machine, where plain http cannot be sniffed.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
