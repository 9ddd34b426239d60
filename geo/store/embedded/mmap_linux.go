//go:build linux

package embedded

import (
	"fmt"
	"os"
	"syscall"
)

// mapFile maps a file read-only. The mapping is shared so that every
// process serving the store reads the same page-cache pages.
func mapFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := fi.Size()
	if size < imagePreamble || size != int64(int(size)) {
		return nil, fmt.Errorf("%w: %s has %d bytes", errCorrupt, path, size)
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("map %s: %w", path, err)
	}
	return b, nil
}

// unmapFile releases a mapping that nothing refers to yet (an image that
// failed its checks).
func unmapFile(b []byte) { _ = syscall.Munmap(b) }

// dropPages takes the mapping's pages out of this process's resident set
// after the checks have read them all; queries fault back in only what
// they read, from the page cache.
func dropPages(b []byte) { _ = syscall.Madvise(b, syscall.MADV_DONTNEED) }

// mappedFiles: mapFile maps, so checked pages can be dropped.
const mappedFiles = true

// hugePages asks the kernel to back b with 2 MB pages where it can (see
// makeLarge). Advice only: nothing in b changes, and an error is no loss.
func hugePages(b []byte) { _ = syscall.Madvise(b, madvHugePage) }

// madvHugePage is MADV_HUGEPAGE, which package syscall does not name.
const madvHugePage = 14
