//go:build !unix

package main

// raiseOpenFilesLimit knows no descriptor limit here: the connection cap is then off
// unless --max-connections sets one.
func raiseOpenFilesLimit() (uint64, error) { return 0, nil }
