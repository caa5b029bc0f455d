// Package schematest checks documents against a JSON Schema, for tests.
// It lives apart from report so that the corsdiag binary does not link a
// schema compiler: its package initialisation alone added 6 ms to the
// start-up of every command.
package schematest

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

var compiled sync.Map // schema text → *jsonschema.Schema

// Validate checks that data (one JSON document) matches schema (a JSON
// Schema, draft 2020-12).
func Validate(schema, data []byte) error {
	sch, err := compile(schema)
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("schematest: not JSON: %w", err)
	}
	return sch.Validate(inst)
}

func compile(schema []byte) (*jsonschema.Schema, error) {
	if sch, ok := compiled.Load(string(schema)); ok {
		return sch.(*jsonschema.Schema), nil
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema))
	if err != nil {
		return nil, fmt.Errorf("schematest: the schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("schema.json", doc); err != nil {
		return nil, fmt.Errorf("schematest: the schema: %w", err)
	}
	sch, err := c.Compile("schema.json")
	if err != nil {
		return nil, fmt.Errorf("schematest: the schema: %w", err)
	}
	compiled.Store(string(schema), sch)
	return sch, nil
}
