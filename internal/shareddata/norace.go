//go:build !race

package shareddata

const raceDetector = false
