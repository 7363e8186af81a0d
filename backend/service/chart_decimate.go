package service

// MaxSessionPoints bounds the chart points OpenSession returns for a whole session: the
// page's ChartData keeps at most 6000 points per series anyway.
const MaxSessionPoints = 6000

// seriesDecimator thins one chart series in a single pass, in constant memory, the way the
// page's ChartData does: every kept point stands for the same number (2^level) of raw
// points, and when the series fills up each pair is merged, keeping the point with the
// higher RTT so that spikes survive. The result covers the whole run at an even resolution.
type seriesDecimator struct {
	max    int
	level  int
	points []ChartPoint
	group  ChartPoint // the merge of the raw points not yet stored (groupN of them)
	groupN int
	raw    int64
}

func newSeriesDecimator(max int) *seriesDecimator {
	return &seriesDecimator{max: max &^ 1} // even, so that halving pairs every point
}

// higher is the point that stands for a merged pair: the higher RTT (a lost marker has
// none; then the earlier point).
func higher(a, b ChartPoint) ChartPoint {
	if b.RTTMs != nil && (a.RTTMs == nil || *b.RTTMs > *a.RTTMs) {
		return b
	}
	return a
}

func (d *seriesDecimator) add(p ChartPoint) {
	d.raw++
	if d.groupN == 0 {
		d.group = p
	} else {
		d.group = higher(d.group, p)
	}
	d.groupN++
	if d.groupN < 1<<d.level {
		return
	}
	d.points = append(d.points, d.group)
	d.groupN = 0
	for d.max > 0 && len(d.points) >= d.max {
		d.halve()
	}
}

// halve merges each pair of stored points; the level goes up by one.
func (d *seriesDecimator) halve() {
	out := d.points[:0]
	for i := 0; i+1 < len(d.points); i += 2 {
		out = append(out, higher(d.points[i], d.points[i+1]))
	}
	if len(d.points)%2 == 1 {
		out = append(out, d.points[len(d.points)-1])
	}
	d.points = out
	d.level++
}

// result is the kept points plus the group being merged, thinned to at most limit.
func (d *seriesDecimator) result(limit int) []ChartPoint {
	if d.groupN > 0 {
		d.points = append(d.points, d.group)
		d.groupN = 0
	}
	for len(d.points) > max(limit, 0) && len(d.points) > 0 {
		if limit <= 0 {
			d.points = d.points[:0]
			break
		}
		d.halve()
	}
	return d.points
}

// sessionChart builds a whole session's chart: markers (lost, duplicate, late, ICMP error) are kept
// first, each series thinned only when markers alone exceed the budget; replies get the
// rest of the budget.
type sessionChart struct {
	replies *seriesDecimator
	marks   map[string]*seriesDecimator
	budget  int
}

func newSessionChart(budget int) *sessionChart {
	c := &sessionChart{replies: newSeriesDecimator(budget), budget: budget, marks: map[string]*seriesDecimator{}}
	for _, m := range []string{MarkLost, MarkDuplicate, MarkLate, MarkICMPError} {
		c.marks[m] = newSeriesDecimator(budget)
	}
	return c
}

func (c *sessionChart) add(p ChartPoint) {
	if p.Mark == MarkReply {
		c.replies.add(p)
		return
	}
	c.marks[p.Mark].add(p)
}

// points returns the chart (replies, then each marker series, each in time order) and how
// many points were decimated away.
func (c *sessionChart) points() ([]ChartPoint, int64) {
	order := []string{MarkLost, MarkDuplicate, MarkLate, MarkICMPError}
	var marks [][]ChartPoint
	total, raw := 0, c.replies.raw
	for _, m := range order {
		marks = append(marks, c.marks[m].result(c.budget))
		total += len(marks[len(marks)-1])
		raw += c.marks[m].raw
	}
	// Too many markers for the budget: halve the biggest series until they fit.
	for total > c.budget {
		big := 0
		for i := range marks {
			if len(marks[i]) > len(marks[big]) {
				big = i
			}
		}
		d := c.marks[order[big]]
		before := len(d.points)
		d.halve()
		if len(d.points) == before {
			break // single points cannot be merged further (a budget below three)
		}
		marks[big] = d.points
		total -= before - len(d.points)
	}
	out := c.replies.result(c.budget - total)
	out = append(make([]ChartPoint, 0, len(out)+total), out...) // never nil: the page gets [], not null
	for _, m := range marks {
		out = append(out, m...)
	}
	return out, raw - int64(len(out))
}
