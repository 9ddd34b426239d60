//go:build !linux

package embedded

import "os"

// mapFile reads the file: outside Linux an image saves the decoding and
// sorting of a load, not the memory.
func mapFile(path string) ([]byte, error) { return os.ReadFile(path) }

func unmapFile([]byte) {}

func dropPages([]byte) {}

// mappedFiles: mapFile reads into the heap, whose pages must not be
// dropped.
const mappedFiles = false

func hugePages([]byte) {}
