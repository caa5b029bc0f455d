# lint: --origin https://app.example.com -H 'Content-Type: application/json'
# Terraform: the REST API's OpenAPI is read from a file beside this one; its
# findings point at that file's lines.
resource "aws_api_gateway_rest_api" "api" {
  name              = "orders"
  body              = file("${path.module}/terraform-body-file.openapi.yaml")
  put_rest_api_mode = "merge"
}
