package iac

import (
	"os"
	"strings"
)

// ReadFile reads a template file.
func ReadFile(path string) (*Template, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, &ParseError{File: path, Msg: strings.TrimPrefix(err.Error(), "stat "+path+": ")}
	}
	if st.Size() > maxTemplateBytes {
		return nil, &ParseError{File: path, Msg: "larger than 16 MiB"}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &ParseError{File: path, Msg: err.Error()}
	}
	return Read(path, data)
}

// Read reads a template: CloudFormation or SAM (YAML or JSON), an OpenAPI 3
// or Swagger 2 definition, a serverless.yml, or Terraform (a .tf file).
func Read(file string, data []byte) (t *Template, err error) {
	if strings.HasSuffix(file, ".tf") {
		return readTerraform(file, data)
	}
	if strings.HasSuffix(file, ".tf.json") {
		return nil, &ParseError{File: file, Msg: "Terraform JSON syntax (.tf.json) is not read: lint reads .tf files (HCL)"}
	}
	root, err := parseDoc(file, data)
	if err != nil {
		return nil, err
	}
	switch {
	case get(root, "openapi") != nil || get(root, "swagger") != nil:
		return readOpenAPI(file, root)
	case get(root, "service") != nil && (get(root, "provider") != nil || get(root, "functions") != nil):
		return readServerless(file, root)
	case get(root, "Resources") != nil || get(root, "AWSTemplateFormatVersion") != nil || get(root, "Transform") != nil:
		return readCFN(file, root)
	}
	return nil, &ParseError{File: file, Line: root.Line, Msg: "not a CloudFormation, SAM, OpenAPI or serverless.yml template (no Resources, openapi, swagger or service key)"}
}
