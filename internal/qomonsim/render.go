package qomonsim

import (
	"hash/fnv"
	"maps"
	"math"
	"strconv"
	"time"
)

// renderer turns a record into the JSON object a GET answers with, in one spelling.
type renderer struct {
	spelling  Spelling
	groupID   int64
	tagCounts map[string]int
}

func (rd renderer) key(canon string) string {
	if rd.spelling == SpellingOld {
		if old, ok := oldSpelling[canon]; ok {
			return old
		}
	}
	return canon
}

// contact renders rec. Unset scalars are left out; collections are always arrays, empty
// when there is nothing.
func (rd renderer) contact(rec *record) map[string]any {
	m := make(map[string]any, len(rec.scalars)+len(rec.extra)+16)
	maps.Copy(m, rec.extra)
	for k, v := range rec.scalars {
		m[rd.key(k)] = v
	}
	m["id"] = rec.id
	m["group_id"] = rd.groupID
	m["user_id"] = rec.userID
	if rec.lastChangeUserID != 0 {
		m["lastchangeuserid"] = rec.lastChangeUserID
	}
	m["CreatedAt"] = rec.createdAt.UTC().Format(microLayout)
	m["UpdatedAt"] = rec.updatedAt.UTC().Format(microLayout)
	m["lastchange"] = rec.lastChange.UTC().Format(milliLayout)

	if rec.address != nil {
		m["address"] = rd.address(rec.address)
	}
	m["tags"] = jsonArray(rec.tags, func(name string) any {
		return map[string]any{
			"name":             name,
			"color":            tagColor(name),
			"appearance_count": rd.tagCounts[name],
		}
	})
	m["notes"] = jsonArray(rec.notes, func(n storedNote) any { return rd.note(rec, n) })
	m["formdatas"] = rd.answers(rec, rec.forms)
	m[rd.key("custom_fields")] = rd.answers(rec, rec.custom)
	m[rd.key("action_ids")] = jsonArray(rec.actions, func(id int64) any { return id })
	return m
}

// jsonArray renders a stored list as a JSON array: never null, empty when there is nothing.
func jsonArray[E any](list []E, render func(E) any) []any {
	out := make([]any, 0, len(list))
	for _, e := range list {
		out = append(out, render(e))
	}
	return out
}

func (rd renderer) address(a *storedAddress) map[string]any {
	m := make(map[string]any, len(a.parts)+len(a.extra)+8)
	maps.Copy(m, a.extra)
	for k, v := range a.parts {
		m[k] = rd.addressNumber(k, v)
	}
	m["id"] = a.id
	m["invalid"] = a.geo.invalid
	m["score"] = math.Round(a.geo.score*1e6) / 1e6
	if !a.geo.invalid {
		m["latitude"] = a.geo.latitude
		m["longitude"] = a.geo.longitude
		m["location"] = a.geo.latitude + "," + a.geo.longitude
	}
	if a.geo.cityCode != "" {
		m["citycode"] = rd.addressNumber("citycode", a.geo.cityCode)
	}
	return m
}

// addressNumber gives the OLD examples' integers for digit-only parts without a leading
// zero ("75001" -> 75001, "01000" stays a string: an integer would lose the zero).
func (rd renderer) addressNumber(key, v string) any {
	if rd.spelling != SpellingOld {
		return v
	}
	if key != "citycode" && !addressNumeric[key] {
		return v
	}
	if !isDigits(v) || (len(v) > 1 && v[0] == '0') || len(v) > 15 {
		return v
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return v
	}
	return n
}

func (rd renderer) note(rec *record, n storedNote) map[string]any {
	if rd.spelling == SpellingOld {
		return map[string]any{"id": n.id, "content": n.content, "pinned": n.pinned}
	}
	return map[string]any{
		"id":               n.id,
		"data":             n.content,
		"pinned":           n.pinned,
		"contact_id":       rec.id,
		"group_id":         rd.groupID,
		"only_super_admin": false,
		"created_at":       n.createdAt.UTC().Format(milliLayout),
		"updated_at":       n.updatedAt.UTC().Format(milliLayout),
	}
}

func (rd renderer) answers(rec *record, in []storedAnswer) []any {
	return jsonArray(in, func(a storedAnswer) any {
		m := map[string]any{
			"id":           a.id,
			"form_id":      a.formID,
			"form_ref_id":  a.formRefID,
			"data":         a.data,
			"date":         nil,
			"contact_id":   rec.id,
			"group_id":     rd.groupID,
			"created_at":   a.createdAt.UTC().Format(milliLayout),
			"updated_at":   a.createdAt.UTC().Format(milliLayout),
			"deleted_at":   nil,
			"donedate":     nil,
			"label":        nil,
			"type_of_form": nil,
		}
		if a.date != nil {
			// Qomon answers with microseconds whatever precision was sent.
			m["date"] = a.date.UTC().Format(microLayout)
		}
		if a.surveyID != nil {
			m["survey_id"] = *a.surveyID
		}
		return m
	})
}

// tagColor is a stable colour per tag name, as Qomon gives each tag one.
func tagColor(name string) string {
	palette := [8]string{"#E57373", "#64B5F6", "#81C784", "#FFB74D", "#BA68C8", "#4DB6AC", "#F06292", "#A1887F"}
	h := fnv.New32a()
	_, _ = h.Write([]byte(name))
	return palette[h.Sum32()%8]
}

// nowMicro truncates a clock reading to what Qomon stores, so that a timestamp read back
// compares equal to the one kept.
func nowMicro(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
