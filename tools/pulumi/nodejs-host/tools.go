//go:build tools

// Package tools pins the Node.js language host (pulumi-language-nodejs) built
// by scripts/ensure-pulumi.sh. It is never compiled. See ../tools.go and
// docs/PULUMI-CLI.md for why this is a separate module at sdk/v3 v3.68.0.
package tools

import (
	_ "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"
)
