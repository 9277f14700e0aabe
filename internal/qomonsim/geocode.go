package qomonsim

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
)

// geocode is what Qomon's geocoder adds to an address. The simulator derives it from the
// address text alone, so the same address always lands on the same point and a test can
// predict when it moves.
type geocode struct {
	invalid   bool
	cityCode  string
	latitude  string
	longitude string
	score     float64
}

func geocodeAddress(parts map[string]string) geocode {
	city := strings.TrimSpace(parts["city"])
	postal := strings.TrimSpace(parts["postalcode"])
	if city == "" && postal == "" {
		return geocode{invalid: true}
	}
	h := fnv.New64a()
	for _, k := range addressInputs {
		_, _ = h.Write([]byte(k + "=" + strings.ToLower(strings.TrimSpace(parts[k])) + "\x00"))
	}
	sum := h.Sum64()
	// A point in metropolitan France: latitude 42.5–51, longitude -4.5–8.
	lat := 42.5 + float64(sum%8500000)/1e6
	lng := -4.5 + float64((sum/8500000)%12500000)/1e6
	score := 0.5 + float64((sum>>40)%490000)/1e6
	if strings.TrimSpace(parts["street"]) == "" {
		score /= 2 // a city-level match is less certain
	}
	g := geocode{
		latitude:  strconv.FormatFloat(lat, 'f', 6, 64),
		longitude: strconv.FormatFloat(lng, 'f', 6, 64),
		score:     score,
	}
	// A French postal code gives its département; the commune part is a hash of the city.
	if len(postal) == 5 && isDigits(postal) {
		cityHash := fnv.New32a()
		_, _ = cityHash.Write([]byte(strings.ToLower(city)))
		g.cityCode = postal[:2] + fmt.Sprintf("%03d", cityHash.Sum32()%1000)
	}
	return g
}

// isDigits says whether s is a non-empty run of ASCII digits.
func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}
