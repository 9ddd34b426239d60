//go:build !race

package plainpass

const raceDetector = false
