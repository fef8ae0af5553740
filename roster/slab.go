package roster

// slab hands out the slices of consecutive rows of one student from one backing array,
// so that reading a student's rows (which most files give together) allocates no slice
// of theirs. The slice of the run being read ends where the slab's free space begins,
// and grows into it; every slice handed out has no capacity beyond its length, so an
// append elsewhere copies it and never writes into the slab.
type slab[T any] struct {
	buf   []T    // len(buf): the part handed out
	start int    // the run being read: buf[start:]
	owner *Entry // whose run it is
}

// slabSize is the capacity of a slab's backing array.
const slabSize = 512

// add returns s (a slice of e's) with v appended: from the slab when s is e's run being
// read or is empty (a new run), else as append does.
func (sl *slab[T]) add(e *Entry, s []T, v T) []T {
	switch {
	case len(s) == 0:
		if len(sl.buf) == cap(sl.buf) {
			sl.buf = make([]T, 0, slabSize)
		}
		sl.owner, sl.start = e, len(sl.buf)
	case e != sl.owner || len(s) != len(sl.buf)-sl.start || &s[0] != &sl.buf[sl.start]:
		return append(s, v) // not the run being read
	case len(sl.buf) == cap(sl.buf):
		if len(s) >= slabSize/4 {
			return append(s, v) // a long run: the runtime's growth
		}
		sl.buf, sl.start = append(make([]T, 0, slabSize), s...), 0 // the run moves to a new slab
	}
	sl.buf = append(sl.buf, v)
	return sl.buf[sl.start:len(sl.buf):len(sl.buf)]
}
