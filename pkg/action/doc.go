// Package action holds corsdiag's CI integrations that are not Go: the
// GitHub Action's logic (action.sh, called by action.yml at the repository
// root), which resolves the release for the runner, downloads it, verifies
// it against the release's checksums and runs corsdiag with the action's
// inputs. Its tests drive the script against a fake release on loopback,
// lint the action and the workflows of docs/ci.md with actionlint, and
// check the GitLab template and the image's Dockerfile.
package action
