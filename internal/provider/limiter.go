package provider

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// Qomon meters requests per space, and a provider process may hold several configured
// instances (aliases) talking to the same space. Keyed by endpoint and a hash of the token
// (never the token itself), they share one bucket so that together they stay under the limit.
var (
	limitersMu sync.Mutex
	limiters   = map[string]*qomon.Limiter{}
)

func sharedLimiter(endpoint, token string, rl qomon.RateLimit) *qomon.Limiter {
	sum := sha256.Sum256([]byte(token))
	key := endpoint + "\x00" + hex.EncodeToString(sum[:]) + "\x00" + fmt.Sprintf("%g/%g", rl.Burst, rl.PerSecond)
	limitersMu.Lock()
	defer limitersMu.Unlock()
	if l, ok := limiters[key]; ok {
		return l
	}
	l := qomon.NewLimiter(rl)
	limiters[key] = l
	return l
}
