# lint: --origin https://app.example.com -X PUT -H 'Content-Type: application/json'
# Terraform: the REST API is its OpenAPI body (jsonencode); /items has a PUT but no options operation.
variable "origin" {
  default = "https://app.example.com"
}

resource "aws_api_gateway_rest_api" "api" {
  name = "items"
  body = jsonencode({
    openapi = "3.0.1"
    info    = { title = "items", version = "1" }
    paths = {
      "/items" = { # want: apigw-no-options-method
        put = {
          x-amazon-apigateway-integration = {
            type       = "aws_proxy"
            httpMethod = "POST"
            uri        = aws_lambda_function.items.invoke_arn
          }
        }
      }
    }
    x-amazon-apigateway-gateway-responses = {
      DEFAULT_4XX = {
        responseParameters = {
          "gatewayresponse.header.Access-Control-Allow-Origin" = "'${var.origin}'"
        }
      }
      DEFAULT_5XX = {
        responseParameters = {
          "gatewayresponse.header.Access-Control-Allow-Origin" = "'https://app.example.com'"
        }
      }
    }
  })
}
