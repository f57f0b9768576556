module tsible.test/k8s-standins

go 1.19
