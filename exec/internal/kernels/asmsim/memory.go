package asmsim

import (
	"encoding/binary"
	"fmt"
	"sort"
	"unsafe"
)

// Region is a mapped range of simulated memory.
type Region struct {
	Name     string
	Base     uint64
	Data     []byte
	Writable bool
	// Loads and Stores count the bytes accessed.
	Loads, Stores int64
}

// End is one past the last address of the region.
func (r *Region) End() uint64 { return r.Base + uint64(len(r.Data)) }

// Memory is the simulated address space: a set of disjoint regions.
type Memory struct {
	// Direct, when set, lets an access outside every mapped region reach
	// the process's own memory at that address, unchecked. It is for
	// driving whole networks through the simulator (exec's tests), whose
	// buffers are not mapped one by one; the caller vouches that the
	// kernels touch only live memory, as on the hardware. The kernel tests
	// leave it off and map every view, so that any stray access is an
	// error.
	Direct bool

	regions []*Region
	last    *Region
	direct  Region // the view Direct accesses go through (one machine at a time)
}

// Map maps data at address base. Regions must not overlap.
func (m *Memory) Map(name string, base uint64, data []byte, writable bool) *Region {
	r := &Region{Name: name, Base: base, Data: data, Writable: writable}
	if len(data) == 0 {
		return r // nothing addressable
	}
	for _, o := range m.regions {
		if r.Base < o.End() && o.Base < r.End() {
			panic(fmt.Sprintf("asmsim: region %s [%#x,%#x) overlaps %s [%#x,%#x)", name, r.Base, r.End(), o.Name, o.Base, o.End()))
		}
	}
	m.regions = append(m.regions, r)
	sort.Slice(m.regions, func(i, j int) bool { return m.regions[i].Base < m.regions[j].Base })
	return r
}

// MapReal maps data at its real address, so that Go pointers into it can be
// used as simulated addresses unchanged. The caller keeps data alive and
// must not let it move (heap memory, or memory outside the Go heap).
func (m *Memory) MapReal(name string, data []byte, writable bool) *Region {
	if len(data) == 0 {
		return &Region{Name: name}
	}
	return m.Map(name, uint64(uintptr(unsafe.Pointer(&data[0]))), data, writable)
}

// Unmap removes regions mapped by Map or MapReal.
func (m *Memory) Unmap(rs ...*Region) {
	for _, r := range rs {
		for i, o := range m.regions {
			if o == r {
				m.regions = append(m.regions[:i], m.regions[i+1:]...)
				break
			}
		}
		if m.last == r {
			m.last = nil
		}
	}
}

// Regions returns the mapped regions in address order.
func (m *Memory) Regions() []*Region { return m.regions }

// Bytes views a slice's backing memory as bytes (for Map and MapReal).
func Bytes[T any](s []T) []byte {
	if len(s) == 0 {
		return nil
	}
	var z T
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*int(unsafe.Sizeof(z)))
}

// ValueBytes views a variable's memory as bytes.
func ValueBytes[T any](p *T) []byte {
	var z T
	return unsafe.Slice((*byte)(unsafe.Pointer(p)), unsafe.Sizeof(z))
}

// AccessError is a load or store outside the mapped, writable memory.
type AccessError struct {
	Addr  uint64
	Size  int
	Store bool
	Why   string
}

func (e *AccessError) Error() string {
	kind := "load"
	if e.Store {
		kind = "store"
	}
	return fmt.Sprintf("%s of %d bytes at %#x: %s", kind, e.Size, e.Addr, e.Why)
}

func (m *Memory) find(addr uint64, n int, store bool) (*Region, error) {
	if r := m.last; r != nil && addr >= r.Base && addr+uint64(n) <= r.End() && addr+uint64(n) > addr {
		if store && !r.Writable {
			return nil, &AccessError{addr, n, store, fmt.Sprintf("region %s is read-only", r.Name)}
		}
		return r, nil
	}
	for _, r := range m.regions {
		if addr >= r.Base && addr+uint64(n) <= r.End() && addr+uint64(n) > addr {
			if store && !r.Writable {
				return nil, &AccessError{addr, n, store, fmt.Sprintf("region %s is read-only (offset %d)", r.Name, addr-r.Base)}
			}
			m.last = r
			return r, nil
		}
	}
	if m.Direct && addr >= 4096 && addr+uint64(n) > addr {
		m.direct = Region{Name: "process memory", Base: addr, Writable: true,
			Data: unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(nil), uintptr(addr))), n)}
		return &m.direct, nil
	}
	return nil, &AccessError{addr, n, store, m.describe(addr, n)}
}

// describe explains where an unmapped access falls relative to the regions.
func (m *Memory) describe(addr uint64, n int) string {
	if addr == 0 || addr < 4096 {
		return "nil pointer dereference"
	}
	best, bestDist := (*Region)(nil), uint64(1<<63)
	var desc string
	for _, r := range m.regions {
		switch {
		case addr < r.Base && r.Base-addr < bestDist:
			best, bestDist = r, r.Base-addr
			desc = fmt.Sprintf("%d bytes before region %s (%d bytes)", r.Base-addr, r.Name, len(r.Data))
		case addr >= r.Base && addr < r.End():
			return fmt.Sprintf("runs %d bytes past the end of region %s (offset %d of %d)", addr+uint64(n)-r.End(), r.Name, addr-r.Base, len(r.Data))
		case addr >= r.End() && addr-r.End() < bestDist:
			best, bestDist = r, addr-r.End()
			desc = fmt.Sprintf("%d bytes after the end of region %s (%d bytes)", addr-r.End(), r.Name, len(r.Data))
		}
	}
	if best == nil {
		return "no memory mapped"
	}
	return "unmapped: " + desc
}

func (m *Memory) load(addr uint64, buf []byte) error {
	r, err := m.find(addr, len(buf), false)
	if err != nil {
		return err
	}
	copy(buf, r.Data[addr-r.Base:])
	r.Loads += int64(len(buf))
	return nil
}

func (m *Memory) store(addr uint64, buf []byte) error {
	r, err := m.find(addr, len(buf), true)
	if err != nil {
		return err
	}
	copy(r.Data[addr-r.Base:], buf)
	r.Stores += int64(len(buf))
	return nil
}

func (m *Memory) load32(addr uint64) (uint32, error) {
	var b [4]byte
	err := m.load(addr, b[:])
	return binary.LittleEndian.Uint32(b[:]), err
}

func (m *Memory) load64(addr uint64) (uint64, error) {
	var b [8]byte
	err := m.load(addr, b[:])
	return binary.LittleEndian.Uint64(b[:]), err
}

func (m *Memory) store32(addr uint64, v uint32) error {
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], v)
	return m.store(addr, b[:])
}

func (m *Memory) store64(addr uint64, v uint64) error {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], v)
	return m.store(addr, b[:])
}
