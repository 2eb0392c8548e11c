//go:build tools

// Package tools pins the Pulumi CLI so that scripts/ensure-pulumi.sh can build
// it reproducibly with `go build` from inside this module (`go install
// pkg@version` refuses Pulumi's modules because their go.mod files contain
// replace directives). It is never compiled.
//
// The Node.js language host cannot be imported here: its v3.248.0 module
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) is not
// served by the module proxy, and the fallback package lives in an older
// sdk/v3 than the one the CLI needs, so it is pinned in nodejs-host/tools.go.
// See docs/PULUMI-CLI.md.
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
