//go:build race

package shareddata

const raceDetector = true
