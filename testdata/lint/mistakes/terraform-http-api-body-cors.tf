# lint: --origin https://app.example.com -H 'Content-Type: application/json'
# Terraform: x-amazon-apigateway-cors in an HTTP API's body without a cors_configuration block.
# The AWS provider deletes the CORS configuration after importing the body (its issue #33390).
resource "aws_apigatewayv2_api" "api" { # want: apigw-http-api-cors-not-configured
  name          = "orders"
  protocol_type = "HTTP"
  body = jsonencode({
    openapi = "3.0.1"
    info    = { title = "orders", version = "1" }
    x-amazon-apigateway-cors = {
      allowOrigins = ["https://app.example.com"]
      allowMethods = ["POST"]
      allowHeaders = ["content-type"]
    }
    paths = {
      "/orders" = {
        post = {
          x-amazon-apigateway-integration = {
            type                 = "aws_proxy"
            payloadFormatVersion = "2.0"
            uri                  = aws_lambda_function.orders.invoke_arn
          }
        }
      }
    }
  })
}
