package service

import "sync"

// chartCacheSize is how many ended sessions' charts are kept: reopening one of the last few
// sessions costs nothing, and each chart is at most MaxSessionPoints points (~0.3 MB).
const chartCacheSize = 4

type cachedChart struct {
	points  []ChartPoint
	skipped int64
}

// chartCache keeps the charts of ended sessions, which never change (until deleted).
type chartCache struct {
	mu    sync.Mutex
	order []int64 // least recently used first
	byID  map[int64]cachedChart
}

func (c *chartCache) get(id int64) (cachedChart, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch, ok := c.byID[id]
	if ok {
		c.touch(id)
	}
	return ch, ok
}

func (c *chartCache) put(id int64, ch cachedChart) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byID == nil {
		c.byID = map[int64]cachedChart{}
	}
	c.byID[id] = ch
	c.touch(id)
	for len(c.order) > chartCacheSize {
		delete(c.byID, c.order[0])
		c.order = c.order[1:]
	}
}

func (c *chartCache) forget(id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.byID, id)
	c.remove(id)
}

// clear forgets every chart (rows of ended sessions were deleted).
func (c *chartCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.byID, c.order = nil, nil
}

// touch moves id to the most recently used end.
func (c *chartCache) touch(id int64) {
	c.remove(id)
	c.order = append(c.order, id)
}

func (c *chartCache) remove(id int64) {
	for i, v := range c.order {
		if v == id {
			c.order = append(c.order[:i], c.order[i+1:]...)
			return
		}
	}
}
