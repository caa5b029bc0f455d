# lint: --origin https://app.example.com -H 'Content-Type: application/json'
variable "origin" {
  default = "https://app.example.com"
}

resource "aws_apigatewayv2_api" "api" {
  name          = "api"
  protocol_type = "HTTP"
  cors_configuration {
    allow_origins = [var.origin]
    allow_methods = ["GET", "POST"]
    allow_headers = ["content-type"]
  }
}

resource "aws_apigatewayv2_route" "post" {
  api_id    = aws_apigatewayv2_api.api.id
  route_key = "POST /orders"
}

resource "aws_s3_bucket" "uploads" {
  bucket = "uploads"
}

resource "aws_s3_bucket_cors_configuration" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  cors_rule {
    allowed_origins = ["https://app.example.com"]
    allowed_methods = ["PUT"]
    allowed_headers = ["*"]
  }
}
