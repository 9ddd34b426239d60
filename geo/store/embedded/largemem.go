package embedded

import "unsafe"

// makeLarge is make([]T, n, c) that, when the slice spans 4 MB or more,
// asks the kernel to back it with 2 MB pages. An import writes tens of
// megabytes of new memory, and the first write to each 4 kB page is a
// fault: some 8 µs each on this service's virtual machines, a fifth of
// the shared months' import in a profile. A 2 MB page takes one fault
// for 512. Only where the kernel leaves huge pages to the program's
// choice (transparent_hugepage=madvise) does this change anything.
func makeLarge[T any](n, c int) []T {
	s := make([]T, n, c)
	var zero T
	if size := uintptr(c) * unsafe.Sizeof(zero); size >= 4<<20 {
		hugePages(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), size))
	}
	return s
}

// growLarge is slices.Grow for a slice that makeLarge may make.
func growLarge[T any](s []T, n int) []T {
	if cap(s)-len(s) >= n {
		return s
	}
	out := makeLarge[T](len(s), len(s)+n)
	copy(out, s)
	return out
}
